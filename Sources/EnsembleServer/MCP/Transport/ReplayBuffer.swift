import Foundation

/// The SSE events a session keeps so a client that lost a stream can resume it with
/// `Last-Event-ID`, bounded in count and bytes: the oldest go first.
///
/// swift-sdk's transport keeps every event for the session's whole life, which for a coordinator
/// polling for days is every tool result it ever read; this keeps a window that is enough to
/// bridge a reconnect.
struct ReplayBuffer {
    struct Event: Equatable {
        let stream: String
        let id: String
        /// The JSON-RPC message; empty for a priming event, which only marks a resumption point.
        let message: Data
    }

    /// The most events kept.
    let maximumCount: Int
    /// The most message bytes kept.
    let maximumBytes: Int

    private var events: [Event] = []
    private var start = 0
    private var bytes = 0

    init(maximumCount: Int = 64, maximumBytes: Int = 1 << 20) {
        self.maximumCount = maximumCount
        self.maximumBytes = maximumBytes
    }

    /// The events held now, oldest first.
    var retained: ArraySlice<Event> { events[start...] }

    /// The message bytes held now.
    var retainedBytes: Int { bytes }

    /// Keeps `event`, dropping the oldest until both bounds hold (a message larger than the byte
    /// bound is not kept at all).
    mutating func append(_ event: Event) {
        guard event.message.count <= maximumBytes else { return }
        events.append(event)
        bytes += event.message.count
        while events.count - start > maximumCount || bytes > maximumBytes {
            bytes -= events[start].message.count
            start += 1
        }
        if start > maximumCount {
            events.removeFirst(start)
            start = 0
        }
    }

    /// The stream of the event with `id`, and the messages of that stream after it; `nil` when
    /// the event is not held (never sent, or already dropped).
    func events(after id: String) -> (stream: String, events: [Event])? {
        guard let index = retained.firstIndex(where: { $0.id == id }) else { return nil }
        let stream = events[index].stream
        return (stream, events[(index + 1)...].filter { $0.stream == stream && !$0.message.isEmpty })
    }

    /// Forgets everything.
    mutating func removeAll() {
        events.removeAll()
        start = 0
        bytes = 0
    }
}
