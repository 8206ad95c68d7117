package import EnsembleCore
import Foundation
import HTTPTypes
package import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /events`: every event as it is recorded, as Server-Sent Events.
///
/// Each message is `id: <event id>`, `event: <event type>`, `data: <event JSON>`. The stream starts
/// with the next event; a client resumes with `Last-Event-ID` (or replays from `?since_id=`), and a
/// comment line is sent every 15 s of quiet. The table stays the truth: the stream is a hint for
/// dashboards and scripts, not a delivery guarantee.
package struct EventStreamController<Context: Hummingbird.RequestContext>: Sendable {
    let repository: any Repository
    let bell: EventBell
    let authenticator: CallerAuthenticator

    package init(repository: any Repository, bell: EventBell, authenticator: CallerAuthenticator) {
        self.repository = repository
        self.bell = bell
        self.authenticator = authenticator
    }

    /// Adds the route to `router`.
    package func addRoutes(to router: Router<Context>) {
        router.get("/events") { request, _ in
            let authorization = request.headers.first { $0.name.canonicalName == "authorization" }?.value
            guard authenticator.caller(authorization: authorization) == .coordinator else {
                return Response(
                    status: .unauthorized,
                    headers: [.contentType: "text/plain"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "The event stream is for the coordinator.\n"))
                )
            }
            let lastEventID = request.headers.first { $0.name.canonicalName == "last-event-id" }?.value
            let resume = lastEventID ?? request.uri.queryParameters.get("since_id")
            var after = resume.flatMap(Int64.init).map(EventID.init)
            if after == nil {
                after = try await repository.latestEventID()
            }
            let feed = EventFeed(repository: repository, bell: bell, after: after)
            let chunks = feed.map { events in ByteBuffer(string: Self.sse(events)) }.cancelOnGracefulShutdown()
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody(asyncSequence: chunks)
            )
        }
    }

    private static func sse(_ events: [Event]) -> String {
        guard !events.isEmpty else { return ": keep-alive\n\n" }
        let encoder = ToolResultEncoder.makeEncoder()
        return events.map { event in
            let data = (try? encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return "id: \(event.id)\nevent: \(event.eventType.rawValue)\ndata: \(data)\n\n"
        }.joined()
    }
}
