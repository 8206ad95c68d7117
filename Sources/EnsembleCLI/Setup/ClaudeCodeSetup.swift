import EnsembleCore
import Foundation

/// Writes what a coordinator's Claude Code needs: the server in the project's `.mcp.json`, with a
/// way to send the coordinator token that keeps the secret out of the file (which is usually
/// committed).
///
/// The coordinator's guide is not written anywhere: the server sends it in the `initialize`
/// answer to coordinator sessions only, so workers, which run in the same directory and load its
/// `CLAUDE.md`, never read instructions meant for the coordinator. A guide an earlier version wrote
/// into `CLAUDE.md` (between the markers) is removed. The edit keeps every other MCP server.
struct ClaudeCodeSetup {
    /// The MCP server's name in Claude Code: tools appear as `mcp__vibe-ensemble__<tool>`.
    static let serverName = "vibe-ensemble"
    static let startMarker = "<!-- vibe-ensemble:start -->"
    static let endMarker = "<!-- vibe-ensemble:end -->"

    /// How Claude Code proves it is the coordinator.
    enum Credential: Equatable {
        /// A `headersHelper` command reads the token file when Claude Code connects (and after a 401).
        case tokenFile(String)
        /// Claude Code expands `${VIBE_ENSEMBLE_AUTH_TOKEN}` from its own environment.
        case environment
        /// The server runs with `--no-auth`.
        case none
    }

    var projectDirectory: String
    var serverURL: String
    var credential: Credential

    /// What a run changed, for the command's report.
    struct Outcome: Equatable {
        var mcpConfigPath: String
        /// The `CLAUDE.md` an old coordinator guide was removed from, if any.
        var removedGuideFrom: String?
    }

    /// Writes `.mcp.json` and removes an old guide from `CLAUDE.md`.
    /// - Throws: `SetupError` when a file cannot be read, parsed or written.
    func apply() throws(SetupError) -> Outcome {
        let mcpPath = (projectDirectory as NSString).appendingPathComponent(".mcp.json")
        let guidePath = (projectDirectory as NSString).appendingPathComponent("CLAUDE.md")
        try write(try mergedMCPConfig(existing: read(mcpPath)), to: mcpPath)
        var removed: String?
        if let memory = try read(guidePath), let cleaned = Self.removingGuide(from: memory) {
            try write(cleaned, to: guidePath)
            removed = guidePath
        }
        return Outcome(mcpConfigPath: mcpPath, removedGuideFrom: removed)
    }

    /// `existing` (a `.mcp.json`, or nothing) with our server entry added or replaced.
    func mergedMCPConfig(existing: String?) throws(SetupError) -> String {
        var root: [String: Any] = [:]
        if let existing, !existing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            guard let parsed = (try? JSONSerialization.jsonObject(with: Data(existing.utf8))) as? [String: Any] else {
                throw .unreadable(".mcp.json is not a JSON object; fix or remove it, then run setup-claude-code again")
            }
            root = parsed
        }
        var servers = root["mcpServers"] as? [String: Any] ?? [:]
        var server: [String: Any] = ["type": "http", "url": serverURL, "timeout": 600_000]
        switch credential {
        case .tokenFile(let path):
            server["headersHelper"] = Self.headersHelper(readingTokenFrom: path)
        case .environment:
            server["headers"] = ["Authorization": "Bearer ${VIBE_ENSEMBLE_AUTH_TOKEN}"]
        case .none:
            break
        }
        servers[Self.serverName] = server
        root["mcpServers"] = servers
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: options) else {
            throw .unreadable("the MCP configuration cannot be encoded")
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A POSIX shell command printing `{"Authorization":"Bearer <token in path>"}`; Claude Code
    /// runs it with `sh -c` and sends the headers it prints.
    static func headersHelper(readingTokenFrom path: String) -> String {
        #"printf '{"Authorization":"Bearer %s"}' "$(cat "# + ShellWord.quoted(path) + #")""#
    }

    /// `existing` (a `CLAUDE.md`) without the guide between the markers, or `nil` when it has none.
    static func removingGuide(from existing: String) -> String? {
        guard let start = existing.range(of: startMarker), let end = existing.range(of: endMarker),
            start.lowerBound < end.upperBound
        else { return nil }
        let before = existing[..<start.lowerBound].trimmingTrailingNewlines
        let after = String(existing[end.upperBound...].drop { $0.isNewline }).trimmingTrailingNewlines
        let kept = [before, after].filter { !$0.isEmpty }.joined(separator: "\n\n")
        return kept.isEmpty ? "" : kept + "\n"
    }

    private func read(_ path: String) throws(SetupError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .unreadable("\(path) cannot be read as UTF-8 text")
        }
        return text
    }

    /// Writes `text` to `path` atomically, keeping the permissions an existing file had.
    private func write(_ text: String, to path: String) throws(SetupError) {
        let permissions = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions]
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            if let permissions {
                try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
            }
        } catch {
            throw .unwritable("\(path) cannot be written (\((error as NSError).localizedDescription))")
        }
    }
}

/// Why `setup-claude-code` could not finish.
enum SetupError: Error, Equatable, CustomStringConvertible {
    case notADirectory(String)
    case unreadable(String)
    case unwritable(String)

    var description: String {
        switch self {
        case .notADirectory(let path): "\(path) is not a directory: pass the coordinator's project with --project-dir."
        case .unreadable(let reason), .unwritable(let reason): reason
        }
    }
}

extension StringProtocol {
    fileprivate var trimmingTrailingNewlines: String {
        var text = String(self)
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
