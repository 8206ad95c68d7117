import EnsembleCore
import EnsembleTestSupport
import Foundation
import Testing

/// A list read whole is paged by position: every item comes once, in order, however the list
/// changes between pages.
struct PagePositionsTests {
    private func position(_ name: String) -> PageCursor { PageCursor(key: name, id: name) }

    @Test func pagesOfAListReadWholeShowEveryItemOnceInOrder() throws {
        let names = (1...23).map { String(format: "worker_coder_%02d", $0) }
        var shown: [String] = []
        var request = try PageRequest(limit: 5)
        var pages = 0
        while pages < 10 {
            let page = Page(of: names, request, position: position)
            shown += page.items
            pages += 1
            guard let next = page.next else { break }
            request = try PageRequest(after: next, limit: 5)
        }
        #expect(shown == names)
        #expect(pages == 5)
    }

    @Test func itemsAddedOrRemovedBetweenPagesMakeNoOtherSkipOrRepeat() throws {
        var names = ["a", "c", "e", "g", "i"]
        let first = Page(of: names, try PageRequest(limit: 2), position: position)
        #expect(first.items == ["a", "c"])
        // "b" joins before the cursor, "c" (shown) and "e" (not yet shown) leave, "f" joins after
        names = ["a", "b", "f", "g", "i"]
        let second = Page(of: names, try PageRequest(after: first.next, limit: 2), position: position)
        #expect(second.items == ["f", "g"])
        let third = Page(of: names, try PageRequest(after: second.next, limit: 2), position: position)
        #expect(third.items == ["i"])
        #expect(third.next == nil)
    }

    @Test func aQueuesTasksArePagedInHandOutOrder() {
        func task(_ id: Int64, _ state: TaskState, _ priority: TicketPriority) -> QueueTask {
            Fixtures.task(id, queue: "queue_coder_1", state: state, priority: priority)
        }
        // In the store's order: the claim first, then by priority, then the oldest
        let tasks = [
            task(9, .claimed, .low), task(12, .queued, .urgent), task(3, .queued, .medium), task(10, .queued, .medium),
            task(2, .queued, .low),
        ]
        let positions = tasks.map(\.handOutPosition)
        let sorted = positions.sorted {
            $0.key == $1.key ? $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) : $0.key < $1.key
        }
        #expect(sorted == positions)
    }
}
