import EnsembleCore
import EnsembleTestSupport
import Foundation
import MCP
import Testing

@testable import EnsembleServer

/// The types written member by member must write exactly what their `Encodable` form gives, for
/// every shape: members present or left out, text that needs escaping, any date.
struct JSONTextWritableTests {
    private struct Shapes {
        var generator: SeededGenerator

        mutating func flip() -> Bool { Bool.random(using: &generator) }
        mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &generator)] }
        mutating func pick<T: CaseIterable>(_ type: T.Type) -> T { pick(Array(type.allCases)) }
        mutating func number() -> Int { Int.random(in: 0...1_000_000, using: &generator) }
        mutating func date() -> Date {
            Date(timeIntervalSince1970: TimeInterval.random(in: 0...4e9, using: &generator))
        }
        mutating func text() -> String {
            let pieces = ["plain", "a \"quote\"", "back\\slash", "new\nline", "tab\t", "é", "😀", "/", "\u{1F}", ""]
            return (0..<Int.random(in: 1...4, using: &generator)).map { _ in pick(pieces) }
                .joined(separator: " ")
        }
        mutating func optional<T>(_ make: (inout Shapes) -> T) -> T? { flip() ? make(&self) : nil }

        mutating func ticket() -> Ticket {
            Ticket(
                ticketId: TicketID(uncheckedRawValue: "SHOP-\(number())"),
                projectId: ProjectID(uncheckedRawValue: "acme/shop"),
                title: text(),
                description: text(),
                executionPlan: (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                    WorkerTypeName(uncheckedRawValue: "coder\(number())")
                },
                currentStage: number(),
                lastCompletedStage: optional { $0.number() },
                state: pick(TicketState.self),
                resolution: optional { $0.pick(TicketResolution.self) },
                closeReason: optional { $0.text() },
                priority: pick(TicketPriority.self),
                reworkRounds: number(),
                maxRounds: number(),
                parentTicketId: optional { $0.ticketID() },
                usage: usage(),
                createdAt: date(),
                updatedAt: date(),
                closedAt: optional { $0.date() }
            )
        }

        mutating func usage() -> RunUsage {
            RunUsage(
                costUsd: flip() ? Double(number()) : Double.random(in: 0...20, using: &generator),
                inputTokens: number(),
                outputTokens: number(),
                turns: number(),
                seconds: Double.random(in: 0...5_000, using: &generator),
                runs: number()
            )
        }

        mutating func ticketID() -> TicketID { TicketID(uncheckedRawValue: "SHOP-\(number())") }

        mutating func dependency() -> DependencyStatus {
            var status = DependencyStatus(ticket())
            status.title = text()
            return status
        }

        mutating func comment() -> EnsembleCore.Comment {
            var comment = EnsembleCore.Comment(
                id: Int64(number()),
                ticketId: TicketID(uncheckedRawValue: "SHOP-1"),
                workerType: WorkerTypeName(uncheckedRawValue: "coder"),
                workerId: WorkerID(uncheckedRawValue: "worker_coder_1"),
                stageNumber: number(),
                content: text(),
                createdAt: date()
            )
            comment.truncatedFrom = optional { $0.number() }
            return comment
        }

        mutating func task() -> QueueTask {
            QueueTask(
                id: TaskID(Int64(number())),
                projectId: ProjectID(uncheckedRawValue: "acme/shop"),
                workerType: WorkerTypeName(uncheckedRawValue: "coder"),
                queueName: optional { _ in QueueName(uncheckedRawValue: "queue_coder_1") },
                ticketId: TicketID(uncheckedRawValue: "SHOP-1"),
                stage: number(),
                state: pick(TaskState.self),
                attempt: number(),
                maxAttempts: number(),
                claimedBy: optional { _ in WorkerID(uncheckedRawValue: "worker_coder_1") },
                leaseExpiresAt: optional { $0.date() },
                priority: pick(TicketPriority.self),
                failures: number(),
                lastError: optional { $0.text() },
                waitingReason: optional { $0.text() },
                isPinned: flip(),
                createdAt: date(),
                updatedAt: date()
            )
        }

        mutating func details() -> TicketDetails {
            var details = TicketDetails(
                ticket: ticket(),
                comments: (0..<Int.random(in: 0...3, using: &generator)).map { _ in comment() },
                tasks: (0..<Int.random(in: 0...3, using: &generator)).map { _ in task() },
                olderComments: number(),
                olderTasks: number()
            )
            details.dependsOn = (0..<Int.random(in: 0...2, using: &generator)).map { _ in dependency() }
            details.dependents = (0..<Int.random(in: 0...2, using: &generator)).map { _ in dependency() }
            details.moreDependents = number()
            details.stages = (0..<Int.random(in: 0...3, using: &generator)).map { stage in
                StageUsage(stage: stage, workerType: WorkerTypeName(uncheckedRawValue: "coder"), usage: usage())
            }
            return details
        }
    }

    /// What `JSONEncoder`, with the conventions of tool results, writes for `value`.
    private func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try ToolResultEncoder.makeEncoder().encode(value), as: UTF8.self)
    }

    private func written(_ value: some JSONTextWritable) -> String {
        var writer = JSONValueWriter()
        value.writeJSON(into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test(arguments: 0..<20)
    func eachWritesWhatItsEncodableFormGives(seed: UInt64) throws {
        var shapes = Shapes(generator: SeededGenerator(seed: seed))
        for _ in 0..<10 {
            let details = shapes.details()
            #expect(written(details) == (try encoded(details)), "seed \(seed)")
            #expect(written(details.ticket) == (try encoded(details.ticket)))
            let dependencies = TicketDependencies(
                ticket: details.ticket,
                dependsOn: details.dependsOn,
                dependents: details.dependents
            )
            #expect(written(dependencies) == (try encoded(dependencies)))
        }
    }

    @Test func theEncoderWritesThemWhereverTheyAppear() throws {
        var shapes = Shapes(generator: SeededGenerator(seed: 1))
        let tickets = (0..<5).map { _ in shapes.ticket() }
        let page = ["items": tickets]
        #expect(String(decoding: try JSONTextEncoder().encode(page), as: UTF8.self) == (try encoded(page)))
    }
}
