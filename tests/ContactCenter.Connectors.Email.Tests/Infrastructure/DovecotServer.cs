using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ContactCenter.Connectors.Email.Tests.Infrastructure;

/// <summary>
/// A throw-away dovecot IMAP server (Debian dovecot-imapd) on a free loopback port, started as a child process with its
/// own config: plaintext auth, any user name logs in with <see cref="Password"/>, maildir under a temp dir. Without a
/// certificate it speaks plain IMAP only; with one it offers STARTTLS on <see cref="Port"/> and implicit TLS on <see cref="ImapsPort"/>.
/// The binary comes from CC_TEST_DOVECOT or /usr/sbin/dovecot (`./test.sh` installs it via scripts/lib.sh ensure_dovecot).
/// </summary>
public sealed class DovecotServer : IAsyncDisposable
{
    public const string Password = "imap-password-1";

    private readonly Process process;
    private readonly string root;

    private DovecotServer(Process process, string root, int port, int imapsPort)
    {
        this.process = process;
        this.root = root;
        Port = port;
        ImapsPort = imapsPort;
    }

    /// <summary>Plain IMAP (with STARTTLS when started with a certificate).</summary>
    public int Port { get; }

    /// <summary>IMAPS (TLS from the first byte); 0 without a certificate.</summary>
    public int ImapsPort { get; }

    public string ConfigPath => Path.Combine(root, "dovecot.conf");

    public static async Task<DovecotServer> StartAsync(TestCertificate? tls = null)
    {
        var binary = Environment.GetEnvironmentVariable("CC_TEST_DOVECOT") is { Length: > 0 } b ? b : "/usr/sbin/dovecot";
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"dovecot not found at {binary}: install dovecot-imapd (./test.sh does it via scripts/lib.sh ensure_dovecot).");
        }
        var root = Path.Combine(Path.GetTempPath(), "cc-dovecot-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path.Combine(root, "mail"));
        Directory.CreateDirectory(Path.Combine(root, "run"));
        Directory.CreateDirectory(Path.Combine(root, "state"));
        var port = FreePort();
        var imapsPort = tls is null ? 0 : FreePort();
        var ssl = tls is null ? "ssl = no" : $"""
            ssl = yes
            ssl_cert = <{tls.CertPath}
            ssl_key = <{tls.KeyPath}
            """;
        var isRoot = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || GetUid() == 0;
        string internalUser, loginUser, mailUid;
        if (isRoot)
        {
            // Dovecot will not run mail processes as root: use the package's own users.
            internalUser = "dovecot";
            loginUser = "dovenull";
            mailUid = "dovecot";
            await RunAsync("chown", "-R", "dovecot:dovecot", Path.Combine(root, "mail"));
            await RunAsync("chmod", "755", root);
        }
        else
        {
            internalUser = loginUser = Environment.UserName;
            mailUid = GetUid().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var config = $$"""
            base_dir = {{root}}/run
            state_dir = {{root}}/state
            instance_name = cc-test-{{port}}
            log_path = {{root}}/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            {{ssl}}
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            mail_location = maildir:{{root}}/mail/%u
            default_internal_user = {{internalUser}}
            default_login_user = {{loginUser}}
            first_valid_uid = 1
            mailbox_idle_check_interval = 1 secs
            auth_failure_delay = 0
            passdb {
              driver = static
              args = password={{Password}}
            }
            userdb {
              driver = static
              args = uid={{mailUid}} gid={{mailUid}} home={{root}}/mail/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                address = 127.0.0.1
                port = {{imapsPort}}
              }
            }
            service anvil {
              chroot =
              # Mode 0 turns the auth penalty off: tests fail logins on purpose, all from 127.0.0.1.
              unix_listener anvil-auth-penalty {
                mode = 0
              }
            }
            service stats {
              unix_listener stats-writer {
                mode = 0666
              }
            }
            """;
        await File.WriteAllTextAsync(Path.Combine(root, "dovecot.conf"), config);
        var start = new ProcessStartInfo(binary, ["-F", "-c", Path.Combine(root, "dovecot.conf")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        var server = new DovecotServer(process, root, port, imapsPort);
        // A test host that ends without disposing fixtures must not leave the server running.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Kill();
        if (await ContactCenter.FunctionalTests.Infrastructure.ListeningProcess.WaitAsync(process, port, TimeSpan.FromSeconds(20),
                async () => $"dovecot exited ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()} {server.Log()}"))
        {
            return server;
        }
        await server.DisposeAsync();
        throw new TimeoutException("dovecot did not start listening: " + server.Log());
    }

    public string Log() => File.Exists(Path.Combine(root, "dovecot.log")) ? File.ReadAllText(Path.Combine(root, "dovecot.log")) : "";

    /// <summary>IMAP APPEND of exact bytes (so malformed messages reach the server as they are).</summary>
    public async Task AppendAsync(string user, byte[] message)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        await using var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.Latin1);
        await reader.ReadLineAsync(); // greeting
        await CommandAsync(stream, reader, "a1", $"a1 LOGIN \"{user}\" \"{Password}\"\r\n");
        await CommandAsync(stream, reader, "a2", "a2 CREATE INBOX\r\n", allowNo: true);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"a3 APPEND INBOX {{{message.Length}+}}\r\n"));
        await stream.WriteAsync(message);
        await CommandAsync(stream, reader, "a3", "\r\n");
        await CommandAsync(stream, reader, "a4", "a4 LOGOUT\r\n");
    }

    public Task AppendAsync(string user, string message) => AppendAsync(user, Encoding.UTF8.GetBytes(message.ReplaceLineEndings("\r\n")));

    /// <summary>Gives INBOX a new UIDVALIDITY, as a server does after its index is rebuilt.</summary>
    public async Task ChangeUidValidityAsync(string user, uint validity)
    {
        var doveadm = Path.Combine(Path.GetDirectoryName(Environment.GetEnvironmentVariable("CC_TEST_DOVECOT") is { Length: > 0 } b ? b : "/usr/sbin/dovecot")!, "..", "bin", "doveadm");
        if (!File.Exists(doveadm))
        {
            doveadm = "/usr/bin/doveadm";
        }
        await RunAsync(doveadm, "-c", ConfigPath, "mailbox", "update", "-u", user, "--uid-validity", validity.ToString(System.Globalization.CultureInfo.InvariantCulture), "INBOX");
    }

    private static async Task CommandAsync(Stream stream, StreamReader reader, string tag, string command, bool allowNo = false)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command));
        while (true)
        {
            var line = await reader.ReadLineAsync() ?? throw new IOException("IMAP connection closed");
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                if (!line.StartsWith(tag + " OK", StringComparison.Ordinal) && !allowNo)
                {
                    throw new InvalidOperationException($"IMAP said: {line}");
                }
                return;
            }
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();

    private void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
