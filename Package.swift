// swift-tools-version: 6.1
import PackageDescription

/// One set of compiler settings for every target (swift-nio style).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility")
]

/// The directory holding this manifest (for paths handed to the linker).
let packageDirectory = String(#filePath.dropLast("/Package.swift".count))

/// How `perchd` is linked on Linux, for a small resident set on a board with 512 MB: lld; the C++ runtime linked
/// statically (`packaging/link/libstdc++.so`, a linker script); no symbol table exported to
/// the dynamic loader (SwiftPM's default `-export-dynamic` put 2.4 MB of names in the loader's path); packed relative
/// relocations (DT_RELR: 27 KB instead of 3.3 MB of `.rela.dyn` read at every start); and the functions the daemon
/// runs laid out next to each other (`packaging/perchd.order`, made by `scripts/daemon/profile-order.sh`, and the
/// compiler's unnamed helpers grouped by `packaging/perchd.lds`), so the kernel's 64 KB fault-around maps the code in
/// use rather than most of the binary. See `scripts/daemon/rss-bench.sh`.
let daemonLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-use-ld=lld",
            "-Xlinker", "--no-export-dynamic",
            "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            "-Xlinker", "--symbol-ordering-file=\(packageDirectory)/packaging/perchd.order",
            "-Xlinker", "--no-warn-symbol-ordering",
            "-Xlinker", "-T", "-Xlinker", "\(packageDirectory)/packaging/perchd.lds",
            "-L", "\(packageDirectory)/packaging/link",
        ],
        .when(platforms: [.linux])
    )
]

let package = Package(
    name: "Perch",
    products: [
        .library(name: "PerchKernels", targets: ["PerchKernels"]),
        .library(name: "PerchTFLite", targets: ["PerchTFLite"]),
        .library(name: "PerchInference", targets: ["PerchInference"]),
        .library(name: "PerchConformance", targets: ["PerchConformance"]),
        .library(name: "PerchCapture", targets: ["PerchCapture"]),
        .library(name: "PerchWire", targets: ["PerchWire"]),
        .library(name: "PerchServer", targets: ["PerchServer"]),
        .executable(name: "perch-server", targets: ["perch-server"]),
        .executable(name: "perch", targets: ["perch"]),
        .executable(name: "perch-loadtest", targets: ["perch-loadtest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // MARK: - Core: standard library only, Embedded-Swift clean.
        // CPerchDot: the one C file of the core, for the CPU dot-product instructions Swift cannot name
        // (AVX-512 VNNI), used when the CPU has them. Embedded and ARM builds leave it out.
        .target(name: "CPerchDot"),
        .target(name: "PerchKernels", dependencies: ["CPerchDot"], swiftSettings: swiftSettings),
        .target(name: "PerchTFLite", swiftSettings: swiftSettings),
        .target(
            name: "PerchInference",
            dependencies: ["PerchKernels", "PerchTFLite"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PerchConformance",
            dependencies: ["PerchInference"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Capture: V4L2 + JPEG through C shims (PerchCapture is the only importer of C*).
        .systemLibrary(name: "CV4L2", pkgConfig: "libv4l2", providers: [.apt(["libv4l-dev"])]),
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        .target(
            name: "PerchCapture",
            dependencies: ["CV4L2", "CJPEG", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: swiftSettings
        ),

        // MARK: - Fleet server: wire types shared with daemon and CLI; all server logic in a library.
        .target(name: "PerchWire", swiftSettings: swiftSettings),
        .target(
            name: "PerchServer",
            dependencies: [
                "PerchWire",
                "PerchInference",
                "PerchTFLite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Device daemon: all logic in PerchAgent; perchd is a thin @main.
        .target(
            name: "PerchAgent",
            dependencies: [
                "PerchInference",
                "PerchTFLite",
                "PerchConformance",
                "PerchCapture",
                "PerchWire",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Executables
        .executableTarget(
            name: "perchd",
            dependencies: [
                "PerchAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: daemonLinkerSettings
        ),
        .executableTarget(
            name: "perch-server",
            dependencies: [
                "PerchServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "perch",
            dependencies: [
                "PerchInference",
                "PerchConformance",
                "PerchCapture",
                "PerchAgent",
                "PerchWire",
                "PerchServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "perch-loadtest",
            dependencies: [
                "PerchWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "perch-capture-vmtest",
            dependencies: ["PerchCapture"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests
        // Test-only C target: interposes malloc to count allocations (zero-allocation inference check).
        .target(name: "CAllocationCounter", path: "Tests/CAllocationCounter"),
        .testTarget(name: "PerchKernelsTests", dependencies: ["PerchKernels"], swiftSettings: swiftSettings),
        .testTarget(name: "PerchTFLiteTests", dependencies: ["PerchTFLite"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PerchInferenceTests",
            dependencies: ["PerchInference", "PerchConformance", "CAllocationCounter"],
            resources: [.copy("Conformance"), .copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PerchServerTests",
            dependencies: [
                "PerchServer",
                "PerchWire",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PerchAgentTests",
            dependencies: [
                "PerchAgent",
                "PerchServer",
                "PerchWire",
                "PerchInference",
                "PerchTFLite",
                "PerchCapture",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PerchCaptureTests", dependencies: ["PerchCapture", "CAllocationCounter"],
            swiftSettings: swiftSettings),
        .testTarget(name: "PerchEvalTests", dependencies: ["perch", "PerchCapture"], swiftSettings: swiftSettings),
        .testTarget(name: "PerchDemoTests", dependencies: ["perch", "PerchWire"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PerchCLITests",
            dependencies: [
                "perch",
                "perch-loadtest",
                "PerchServer",
                "PerchWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
