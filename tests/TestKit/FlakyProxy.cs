using System.Net;
using System.Net.Sockets;

namespace Arbor.TestKit;

/// <summary>
/// A TCP proxy in front of a test server that misbehaves on purpose: it can cut a connection once
/// a given number of response bytes has passed (as a dropped link would), stall a connection
/// (forward nothing more, keep it open), or answer the first requests with a 503.
/// </summary>
public sealed class FlakyProxy : IDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _cts = new();
    private long _forwarded;
    private long _cutAfter = -1;
    private bool _cutWithReset;
    private long _stallAfter = -1;
    private int _fail503 ;
    private int _cuts, _stalls;

    public FlakyProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }
    public string Url(string relative = "") => $"http://127.0.0.1:{Port}/{relative.TrimStart('/')}";

    /// <summary>Response bytes forwarded so far, over all connections.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);
    public int Cuts => Volatile.Read(ref _cuts);
    public int Stalls => Volatile.Read(ref _stalls);

    /// <summary>
    /// Cuts the connection that carries the byte at <paramref name="totalBytes"/> from now, once: with
    /// <paramref name="reset"/> an RST (the client loses what it had not read yet), else a plain close
    /// after the bytes so far (a response that ends early).
    /// </summary>
    public void CutOnceAfter(long totalBytes, bool reset = true)
    {
        _cutWithReset = reset;
        Interlocked.Exchange(ref _cutAfter, Forwarded + totalBytes);
    }

    /// <summary>Stops forwarding on the connection that reaches <paramref name="totalBytes"/>, keeping it open; once.</summary>
    public void StallOnceAfter(long totalBytes) => Interlocked.Exchange(ref _stallAfter, Forwarded + totalBytes);

    /// <summary>Answers the next <paramref name="count"/> requests with "503 Service Unavailable".</summary>
    public void Fail503(int count) => Interlocked.Exchange(ref _fail503, count);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_cts.Token);
                _ = HandleAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var clientStream = client.GetStream();
        if (Interlocked.Decrement(ref _fail503) >= 0)
        {
            // read the request head, answer 503 and close
            var buf = new byte[8192];
            try { await clientStream.ReadAtLeastAsync(buf, 1, throwOnEndOfStream: false, _cts.Token); } catch (Exception) { return; }
            var body = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray();
            await clientStream.WriteAsync(body, _cts.Token);
            return;
        }
        using var server = new TcpClient();
        try { await server.ConnectAsync(IPAddress.Loopback, _targetPort, _cts.Token); }
        catch (Exception) { return; }
        server.NoDelay = true;
        var serverStream = server.GetStream();
        using var conn = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        var up = PumpAsync(clientStream, serverStream, null, conn.Token);
        var down = PumpAsync(serverStream, clientStream, client, conn.Token);
        await Task.WhenAny(up, down);
        await conn.CancelAsync();
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, TcpClient? responseClient, CancellationToken ct)
    {
        var buf = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await from.ReadAsync(buf, ct);
                if (n == 0) return;
                if (responseClient is not null)
                {
                    long before = Interlocked.Add(ref _forwarded, n) - n;
                    long cut = Interlocked.Read(ref _cutAfter);
                    if (cut >= 0 && before + n >= cut && Interlocked.CompareExchange(ref _cutAfter, -1, cut) == cut)
                    {
                        int keep = (int)Math.Max(0, cut - before);
                        if (keep > 0) await to.WriteAsync(buf.AsMemory(0, keep), ct);
                        Interlocked.Increment(ref _cuts);
                        if (_cutWithReset) responseClient.LingerState = new LingerOption(true, 0); // RST, not FIN
                        else await to.FlushAsync(ct);
                        responseClient.Close();
                        return;
                    }
                    long stall = Interlocked.Read(ref _stallAfter);
                    if (stall >= 0 && before + n >= stall && Interlocked.CompareExchange(ref _stallAfter, -1, stall) == stall)
                    {
                        int keep = (int)Math.Max(0, stall - before);
                        if (keep > 0) await to.WriteAsync(buf.AsMemory(0, keep), ct);
                        Interlocked.Increment(ref _stalls);
                        await Task.Delay(Timeout.Infinite, ct);
                        return;
                    }
                }
                await to.WriteAsync(buf.AsMemory(0, n), ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException) { }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _listener.Stop();
        _cts.Dispose();
    }
}
