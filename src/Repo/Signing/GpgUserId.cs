namespace Arbor.Repo.Signing;

/// <summary>
/// An OpenPGP user ID split as gpgme splits it (<c>parse_user_id</c>): the name before the first
/// "(" or "&lt;", the comment in parentheses, the e-mail in angle brackets; and the lower-cased
/// mailbox gpgme calls the address, or null when the user ID holds no valid one. Pure.
/// </summary>
public sealed record GpgUserId(string Uid, string Name, string Comment, string Email, string? Address)
{
    public static GpgUserId Parse(string uid)
    {
        string? name = null, email = null, comment = null;
        int start = -1, inEmail = 0, inComment = 0;
        bool inName = false;
        for (int i = 0; i < uid.Length; i++)
        {
            char c = uid[i];
            if (inEmail > 0)
            {
                if (c == '<') inEmail++;
                else if (c == '>' && --inEmail == 0 && email is null) email = uid[start..i];
            }
            else if (inComment > 0)
            {
                if (c == '(') inComment++;
                else if (c == ')' && --inComment == 0 && comment is null) comment = uid[start..i];
            }
            else if (c is '<' or '(')
            {
                if (inName) name ??= uid[start..i];
                inName = false;
                if (c == '<') inEmail = 1; else inComment = 1;
                start = i + 1;
            }
            else if (!inName && c is not ' ' and not '\t')
            {
                inName = true;
                start = i;
            }
        }
        if (inName) name ??= uid[start..];
        return new GpgUserId(uid, (name ?? "").TrimEnd(' ', '\t'), comment ?? "", email ?? "", MailboxFrom(uid));
    }

    /// <summary>gnupg's <c>mailbox_from_userid</c>: the address in angle brackets, else the whole user ID, when it is a valid mailbox.</summary>
    private static string? MailboxFrom(string uid)
    {
        string candidate;
        int lt = uid.IndexOf('<', StringComparison.Ordinal);
        if (lt >= 0)
        {
            int gt = uid.IndexOf('>', lt + 1);
            if (gt < 0) return null;
            candidate = uid[(lt + 1)..gt];
        }
        else candidate = uid;
        return IsValidMailbox(candidate) ? candidate.ToLowerInvariant() : null;
    }

    private static bool IsValidMailbox(string s)
    {
        int at = s.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != s.LastIndexOf('@') || at == s.Length - 1) return false;
        if (s[^1] == '.' || s.Contains("..", StringComparison.Ordinal)) return false;
        const string localSpecials = "!#$%&'*+-/=?^_`{|}~.";
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (i == at) continue;
            bool ok = char.IsAsciiLetterOrDigit(c) || (i < at ? localSpecials.Contains(c) : c is '-' or '.' or '_');
            if (!ok) return false;
        }
        return true;
    }
}
