// swift-tools-version:6.0
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode is the default for
/// tools version 6; these two upcoming features keep imports and existentials explicit.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "chatctl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "chatctl", targets: ["chatctl"]),
        // Libraries so the fuzzing package in Tests/Fuzz can link the real code.
        .library(name: "ChatctlCore", targets: ["ChatctlCore"]),
        .library(name: "ChatctlAWS", targets: ["ChatctlAWS"]),
        .library(name: "ChatctlEmulator", targets: ["ChatctlEmulator"]),
        .library(name: "ChatctlJSON", targets: ["ChatctlJSON"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // FlyingSocks (from this package): the non-blocking sockets and event loop under the
        // emulator's own bounded HTTP/1.1 server; no transitive dependencies (SwiftNIO-based
        // servers add minutes to every CI build). docs/emulator.md says why not FlyingFox's server.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, nothing else.
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CLibCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        .target(
            name: "ChatctlJSON",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ChatctlAWS",
            dependencies: ["ChatctlJSON", "CLibCurl", "CLibCrypto"],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ChatctlCore",
            dependencies: ["CLibYAML", "ChatctlJSON", "ChatctlAWS"],
            exclude: ["README.md", "Conversing/README.md"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ChatctlEmulator",
            dependencies: [
                "ChatctlAWS",
                "ChatctlJSON",
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "chatctl",
            dependencies: [
                "ChatctlCore",
                "ChatctlJSON",
                "ChatctlEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),

        .testTarget(
            name: "ChatctlJSONTests",
            dependencies: ["ChatctlJSON"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChatctlCoreTests",
            dependencies: ["ChatctlCore", "ChatctlJSON"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChatctlAWSTests",
            // The emulator and FlyingSocks: the Participant Service client and its WebSocket
            // are tested against the in-process emulator and bounded loopback peers.
            dependencies: ["ChatctlAWS", "ChatctlEmulator", .product(name: "FlyingSocks", package: "FlyingFox")],
            exclude: ["Fixtures", "Support/fake_connect_server.py", "Support/fake_credentials_server.py"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChatctlEmulatorTests",
            dependencies: [
                "ChatctlEmulator", "ChatctlAWS", "ChatctlJSON", .product(name: "FlyingSocks", package: "FlyingFox"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChatctlEndToEndTests",
            dependencies: ["ChatctlCore", "ChatctlEmulator", "ChatctlAWS", "ChatctlJSON"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
    ]
)
