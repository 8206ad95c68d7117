package import EnsembleCore
import Foundation

/// Parses Claude Code `stream-json` lines leniently: unknown fields and lines are ignored, and a
/// line that is not JSON is `.other`, never an error (the format grows with every release).
package enum StreamJSONParser {
    /// The events one line carries (an assistant message may call several tools).
    package static func events(in line: String) -> [StreamEvent] {
        guard let data = line.data(using: .utf8),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return [.other] }
        switch object["type"] as? String {
        case "system" where object["subtype"] as? String == "init":
            let servers = (object["mcp_servers"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
                if let name = $1["name"] as? String { $0[name] = $1["status"] as? String ?? "unknown" }
            }
            return [.initialized(sessionID: object["session_id"] as? String, mcpServers: servers)]
        case "assistant":
            let content = (object["message"] as? [String: Any])?["content"] as? [[String: Any]] ?? []
            let tools = content.filter { $0["type"] as? String == "tool_use" }.compactMap { $0["name"] as? String }
            return tools.isEmpty ? [.other] : tools.map { .toolUse(name: $0) }
        case "result":
            return [.result(summary(of: object))]
        default:
            return [.other]
        }
    }

    /// The events of `line` a supervisor acts on: the session's start and the run's result.
    ///
    /// A worker prints a line per message and tool call, and parsing each with
    /// `JSONSerialization` was most of what its output cost the server; a line that holds
    /// neither `"system"` nor `"result"` cannot be either, so it is not parsed.
    package static func runEvents(in line: String) -> [StreamEvent] {
        let bytes = line.utf8
        guard bytes.firstRange(of: systemKey) != nil || bytes.firstRange(of: resultKey) != nil else { return [] }
        return events(in: line).filter { event in
            switch event {
            case .initialized, .result: true
            case .toolUse, .other: false
            }
        }
    }

    /// The keys a start or result line holds, searched as bytes: Foundation's `contains`, which
    /// `String` would use here, bridges every line to `NSString`.
    private static let systemKey = Array(#""system""#.utf8)
    private static let resultKey = Array(#""result""#.utf8)

    private static func summary(of object: [String: Any]) -> RunSummary {
        let usage = object["usage"] as? [String: Any] ?? [:]
        func integer(_ value: Any?) -> Int { (value as? NSNumber)?.intValue ?? 0 }
        return RunSummary(
            isError: object["is_error"] as? Bool ?? false,
            totalCostUsd: (object["total_cost_usd"] as? NSNumber)?.doubleValue ?? 0,
            inputTokens: integer(usage["input_tokens"]) + integer(usage["cache_read_input_tokens"])
                + integer(usage["cache_creation_input_tokens"]),
            outputTokens: integer(usage["output_tokens"]),
            turns: integer(object["num_turns"]),
            permissionDenials: (object["permission_denials"] as? [Any])?.count ?? 0,
            result: object["result"] as? String,
            subtype: object["subtype"] as? String
        )
    }
}
