import EnsembleCore
import EnsembleWorkers
import Testing

struct StreamJSONParserTests {
    @Test func readsTheInitLine() {
        let line =
            #"{"type":"system","subtype":"init","session_id":"s-1","mcp_servers":[{"name":"vibe-ensemble","status":"connected"}],"tools":[]}"#
        #expect(
            StreamJSONParser.events(in: line) == [
                .initialized(sessionID: "s-1", mcpServers: ["vibe-ensemble": "connected"])
            ]
        )
    }

    @Test func readsEveryToolCallOfAnAssistantMessage() {
        let line =
            #"{"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"hi"},{"type":"tool_use","id":"t1","name":"mcp__vibe-ensemble__get_ticket","input":{}},{"type":"tool_use","id":"t2","name":"Read","input":{}}]}}"#
        #expect(
            StreamJSONParser.events(in: line) == [
                .toolUse(name: "mcp__vibe-ensemble__get_ticket"), .toolUse(name: "Read"),
            ]
        )
    }

    @Test func readsTheResultWithCostTokensAndDenials() {
        let line =
            #"{"type":"result","subtype":"success","is_error":true,"total_cost_usd":0.25,"num_turns":4,"usage":{"input_tokens":10,"cache_read_input_tokens":5,"output_tokens":7},"permission_denials":[{"tool_name":"Bash"}],"result":"Not logged in","new_field":{}}"#
        #expect(
            StreamJSONParser.events(in: line) == [
                .result(
                    RunSummary(
                        isError: true,
                        totalCostUsd: 0.25,
                        inputTokens: 15,
                        outputTokens: 7,
                        turns: 4,
                        permissionDenials: 1,
                        result: "Not logged in",
                        subtype: "success"
                    )
                )
            ]
        )
    }

    @Test(arguments: ["", "not json", "[1,2]", #"{"type":"user"}"#, #"{"type":"system","subtype":"api_retry"}"#])
    func ignoresEverythingElse(_ line: String) {
        #expect(StreamJSONParser.events(in: line) == [.other])
    }

    @Test func aSupervisorReadsOnlyTheStartAndTheResultOfARun() {
        let start = #"{"type":"system","subtype":"init","session_id":"s-1","mcp_servers":[],"tools":[]}"#
        let toolCall =
            #"{"type":"assistant","message":{"content":[{"type":"tool_use","id":"t1","name":"Read","input":{}}]}}"#
        let mentionsResult = #"{"type":"user","message":{"content":[{"type":"tool_result","content":"\"result\""}]}}"#
        let result = #"{"type":"result","subtype":"success","is_error":false,"total_cost_usd":0,"num_turns":1}"#
        #expect(StreamJSONParser.runEvents(in: start) == [.initialized(sessionID: "s-1", mcpServers: [:])])
        #expect(StreamJSONParser.runEvents(in: toolCall).isEmpty)
        #expect(StreamJSONParser.runEvents(in: mentionsResult).isEmpty)
        #expect(StreamJSONParser.runEvents(in: result).count == 1)
        #expect(StreamJSONParser.runEvents(in: result) == StreamJSONParser.events(in: result))
    }
}
