import Foundation
import Testing

@testable import EnsembleServer

struct ReplayBufferTests {
    private func event(_ number: Int, bytes: Int = 10, stream: String = "s") -> ReplayBuffer.Event {
        ReplayBuffer.Event(stream: stream, id: "\(stream)_\(number)", message: Data(repeating: 65, count: bytes))
    }

    @Test func keepsTheNewestEventsWithinCountAndBytes() {
        var buffer = ReplayBuffer(maximumCount: 3, maximumBytes: 25)
        for number in 1...10 { buffer.append(event(number)) }
        #expect(buffer.retained.map(\.id) == ["s_9", "s_10"])
        #expect(buffer.retainedBytes == 20)
        buffer.append(event(11, bytes: 26))
        #expect(buffer.retained.map(\.id) == ["s_9", "s_10"])
    }

    @Test func resumesAStreamAfterAHeldEventAndForgetsDroppedOnes() {
        var buffer = ReplayBuffer(maximumCount: 4, maximumBytes: 1_000)
        buffer.append(event(1, bytes: 0))
        buffer.append(event(2))
        buffer.append(event(3, stream: "other"))
        buffer.append(event(4))
        let resumed = buffer.events(after: "s_1")
        #expect(resumed?.stream == "s")
        #expect(resumed?.events.map(\.id) == ["s_2", "s_4"])
        buffer.append(event(5))
        #expect(buffer.events(after: "s_1") == nil)
    }
}
