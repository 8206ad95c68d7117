// swift-tools-version: 6.0
// A bare Hummingbird 2 JSON echo: the ceiling the HTTP benchmark compares vibe-ensemble against.
import PackageDescription

let package = Package(
    name: "echo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "echo", targets: ["echo"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1")
    ],
    targets: [
        .executableTarget(
            name: "echo",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        )
    ]
)
