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
        .executable(name: "perch", targets: ["perch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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

        // MARK: - Executables
        .executableTarget(
            name: "perch",
            dependencies: [
                "PerchInference",
                "PerchConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests
        .testTarget(name: "PerchKernelsTests", dependencies: ["PerchKernels"], swiftSettings: swiftSettings),
        .testTarget(name: "PerchTFLiteTests", dependencies: ["PerchTFLite"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PerchInferenceTests",
            dependencies: ["PerchInference", "PerchConformance"],
            resources: [.copy("Conformance")],
            swiftSettings: swiftSettings
        ),
    ]
)
