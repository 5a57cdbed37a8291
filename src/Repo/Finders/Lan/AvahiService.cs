namespace Arbor.Repo.Finders.Lan;

/// <summary>
/// A resolved <c>_ostree_repo._tcp</c> service (<c>OstreeAvahiService</c>): its instance name, its
/// address as text (an IPv6 link-local or loopback address carries its <c>%INTERFACE</c> scope),
/// its port and its TXT strings.
/// </summary>
public sealed record AvahiService(string Name, string Domain, string Address, ushort Port, IReadOnlyList<byte[]> Txt);
