// `echo --port N`: POST /mcp on 127.0.0.1 answers 200 with the request body as application/json.
// The least any Hummingbird 2 server does per request (parse HTTP, route, collect the body, write
// a response), so vibe-ensemble's MCP handling can be read as a ratio of it.
import Hummingbird

var port = 8080
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--port":
        guard let value = arguments.popFirst(), let number = Int(value), (1...65535).contains(number) else {
            fatalError("--port needs a number from 1 to 65535")
        }
        port = number
    default:
        fatalError("usage: echo --port N (unknown argument \(argument))")
    }
}

let router = Router()
router.post("mcp") { request, _ -> Response in
    let body = try await request.body.collect(upTo: 16 * 1024 * 1024)
    return Response(
        status: .ok,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: body)
    )
}
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "echo")
)
try await app.runService()
