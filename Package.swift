// swift-tools-version: 6.1
import PackageDescription

/// One set of compiler settings for every target (swift-nio style).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Perch",
    products: [
        .library(name: "PerchKernels", targets: ["PerchKernels"]),
        .library(name: "PerchTFLite", targets: ["PerchTFLite"]),
        .library(name: "PerchInference", targets: ["PerchInference"]),
        .library(name: "PerchConformance", targets: ["PerchConformance"]),
        .library(name: "PerchCapture", targets: ["PerchCapture"]),
        .executable(name: "perch", targets: ["perch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // MARK: - Core: standard library only, Embedded-Swift clean.
        .target(name: "PerchKernels", swiftSettings: swiftSettings),
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

        // MARK: - Executables
        .executableTarget(
            name: "perch",
            dependencies: [
                "PerchInference",
                "PerchConformance",
                "PerchCapture",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
        .testTarget(name: "PerchCaptureTests", dependencies: ["PerchCapture"], swiftSettings: swiftSettings),
    ]
)
