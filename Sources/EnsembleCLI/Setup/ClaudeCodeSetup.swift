import Foundation

/// Writes what a coordinator's Claude Code needs: the server in the project's `.mcp.json`, and a
/// short guide in its `CLAUDE.md`.
///
/// Both edits are idempotent and keep what the files already hold: other MCP servers stay, and the
/// guide lives between markers that a second run replaces.
struct ClaudeCodeSetup {
    /// The MCP server's name in Claude Code: tools appear as `mcp__vibe-ensemble__<tool>`.
    static let serverName = "vibe-ensemble"
    static let startMarker = "<!-- vibe-ensemble:start -->"
    static let endMarker = "<!-- vibe-ensemble:end -->"

    var projectDirectory: String
    var serverURL: String
    /// Whether the server wants the coordinator token, read by Claude Code from `VIBE_ENSEMBLE_AUTH_TOKEN`.
    var usesAuthToken = false

    /// What a run changed, for the command's report.
    struct Outcome: Equatable {
        var mcpConfigPath: String
        var guidePath: String
    }

    /// Writes both files.
    /// - Throws: `SetupError` when a file cannot be read, parsed or written.
    func apply() throws(SetupError) -> Outcome {
        let mcpPath = (projectDirectory as NSString).appendingPathComponent(".mcp.json")
        let guidePath = (projectDirectory as NSString).appendingPathComponent("CLAUDE.md")
        try write(try mergedMCPConfig(existing: read(mcpPath)), to: mcpPath)
        try write(Self.updatedGuide(existing: read(guidePath) ?? ""), to: guidePath)
        return Outcome(mcpConfigPath: mcpPath, guidePath: guidePath)
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
        if usesAuthToken {
            // Expanded by Claude Code at start-up, so the secret never lands in the repository.
            server["headers"] = ["Authorization": "Bearer ${VIBE_ENSEMBLE_AUTH_TOKEN}"]
        }
        servers[Self.serverName] = server
        root["mcpServers"] = servers
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: options) else {
            throw .unreadable("the MCP configuration cannot be encoded")
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `existing` (a `CLAUDE.md`) with the coordinator guide added or replaced between the markers.
    static func updatedGuide(existing: String) -> String {
        let section = "\(startMarker)\n\(guide)\n\(endMarker)"
        if let start = existing.range(of: startMarker), let end = existing.range(of: endMarker),
            start.lowerBound < end.upperBound
        {
            return existing.replacingCharacters(in: start.lowerBound..<end.upperBound, with: section)
        }
        let separator =
            existing.isEmpty ? "" : existing.hasSuffix("\n\n") ? "" : existing.hasSuffix("\n") ? "\n" : "\n\n"
        return existing + separator + section + "\n"
    }

    private static let guide = """
        ## Coordinating workers with vibe-ensemble

        You are the coordinator. Keep your own context clean: delegate focused work to vibe-ensemble workers.
        - Register the repository once with `create_project` and define worker types (`create_worker_type`) such as
          planner, coder and reviewer, each with a focused system prompt that says what to report.
        - File work with `create_ticket`: a description with all the context a worker needs, and an `execution_plan`
          listing worker types in order. Workers are spawned automatically and move the ticket through its stages.
        - Follow progress with `wait_for_events` (keep `timeout_seconds` under a minute), read reports with
          `get_ticket`, and acknowledge events with `mark_events_processed`.
        - Steer with `update_ticket_stage`, `add_ticket_comment`, `close_ticket`, `spawn_worker` and `stop_worker`.
        """

    private func read(_ path: String) throws(SetupError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .unreadable("\(path) cannot be read as UTF-8 text")
        }
        return text
    }

    private func write(_ text: String, to path: String) throws(SetupError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
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
