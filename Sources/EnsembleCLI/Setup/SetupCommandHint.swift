import EnsembleCore
import Foundation

/// The `setup-claude-code` command that connects a project to this very server, as the start-up
/// log line shows it: with the flags that differ from the defaults, so following it just works.
enum SetupCommandHint {
    static func command(for configuration: EnsembleConfiguration, port: Int, home: String = NSHomeDirectory()) -> String
    {
        var words = ["vibe-ensemble", "setup-claude-code"]
        if configuration.http.host == "127.0.0.1" {
            words += ["--port", "\(port)"]
        } else {
            let host = configuration.http.localHost
            words += ["--url", "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/mcp"]
        }
        if configuration.store.dataDirectory != EnsembleConfiguration.defaultDataDirectory(home: home) {
            words += ["--data-dir", ShellWord.minimallyQuoted(configuration.store.dataDirectory)]
        }
        switch configuration.http.auth {
        case .dataDirectoryToken: break
        case .token(_, .file):
            words += [
                "--auth-token-file",
                configuration.http.authTokenFile.map(ShellWord.minimallyQuoted) ?? "<the file given to serve>",
            ]
        case .token: words.append("--token-from-environment")
        case .disabled: words.append("--no-auth")
        }
        return words.joined(separator: " ")
    }
}
