// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for chatctl (issue 6). Not part of the root package: every target
/// here must be built with `-sanitize=fuzzer,address` and `-parse-as-library`, which
/// `scripts/fuzz` passes. Each executable is one file: `LLVMFuzzerTestOneInput`, driving
/// the real code through its public API, and the `<Module>_main` that starts libFuzzer.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "chatctl-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "chatctl", path: "../.."),
    ],
    targets: [
        // libFuzzer's driver, which each target's `<Module>_main` starts (see shim.h).
        .systemLibrary(name: "CLibFuzzer"),
        // Turns fuzz bytes into requests and flags; shared by the two HTTP targets.
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "ChatctlAWS", package: "chatctl")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzProfileLoading",
            dependencies: ["CLibFuzzer", .product(name: "ChatctlCore", package: "chatctl")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzSigV4Canonicalisation",
            dependencies: ["CLibFuzzer", "FuzzSupport", .product(name: "ChatctlAWS", package: "chatctl")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzLockfileDecoding",
            dependencies: ["CLibFuzzer", .product(name: "ChatctlCore", package: "chatctl")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzEmulatorRequests",
            dependencies: [
                "CLibFuzzer",
                "FuzzSupport",
                .product(name: "ChatctlAWS", package: "chatctl"),
                .product(name: "ChatctlEmulator", package: "chatctl"),
                .product(name: "ChatctlJSON", package: "chatctl"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
