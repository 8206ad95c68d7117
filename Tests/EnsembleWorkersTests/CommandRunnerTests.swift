import EnsembleTestSupport
import EnsembleWorkers
import Foundation
import Testing

/// Short-lived commands as the worktrees and the merge queue run them: real processes.
struct CommandRunnerTests {
    @Test func aVerboseShellCommandIsJudgedByItsStatusAndKeepsTheTailOfItsOutput() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // About 6 MB on standard output and some on standard error, more than any collecting limit.
        let result = await CommandRunner().runShell(
            "yes 'a line of a verbose test suite' | head -c 6000000; echo 'to stderr' >&2; echo 'the last line'",
            in: directory.path,
            environment: ["VIBE_ENSEMBLE_TICKET_ID": "SHOP-1"],
            timeout: .seconds(60)
        )
        #expect(result.succeeded)
        #expect(result.output.hasSuffix("the last line\n"))
        #expect(result.output.utf8.count <= 65_536)
        #expect(result.tail(1) == "the last line" || result.tail(2).contains("the last line"))
        let failing = await CommandRunner().runShell(
            "echo \"$VIBE_ENSEMBLE_TICKET_ID broke\"; exit 3",
            in: directory.path,
            environment: ["VIBE_ENSEMBLE_TICKET_ID": "SHOP-1"],
            timeout: .seconds(60)
        )
        #expect(failing.status == 3 && failing.output == "SHOP-1 broke\n")
    }

    @Test func aCommandPastItsTimeoutIsEndedAndSaysSo() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = await CommandRunner().runShell("sleep 30", in: directory.path, timeout: .milliseconds(300))
        #expect(result.timedOut && !result.succeeded)
        #expect(result.error.contains("timed out"))
    }
}
