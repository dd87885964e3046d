// swift-tools-version: 6.1
// The Embedded Swift build of Perch's core and capture preprocessing, for ARM Linux (aarch64, armv7 hard-float)
// and, for comparison, x86_64. Built by `cross/build.sh`; see cross/README.md.
//
// The targets are the repository's own sources, reached through symlinks in `cross/Sources/` (SwiftPM refuses a
// target path outside the package root). No dependencies: Foundation, NIO and swift-system do not exist for the
// Embedded `*-none-*` targets.
import PackageDescription

/// Every Swift target is Embedded Swift; `Extern` is not needed by the sources but kept for `@_extern(c)` use.
let embedded: [SwiftSetting] = [
    .enableExperimentalFeature("Embedded"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "PerchCross",
    targets: [
        // MARK: - The core, unchanged (../Sources/<name>)
        .target(name: "PerchKernels", swiftSettings: embedded),
        .target(name: "PerchTFLite", swiftSettings: embedded),
        .target(name: "PerchInference", dependencies: ["PerchKernels", "PerchTFLite"], swiftSettings: embedded),
        .target(name: "PerchConformance", dependencies: ["PerchInference"], swiftSettings: embedded),

        // MARK: - Capture: the C shims and PerchCapture's Embedded-clean files (JPEG, pixel formats, preprocessing)
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        // No pkgConfig here: the host's pkg-config would add x86_64 include paths; the sysroot has the headers.
        .systemLibrary(name: "CV4L2"),
        // `Errno` only (swift-system itself needs Glibc): see Sources/SystemPackage/Errno.swift.
        .target(name: "SystemPackage", swiftSettings: embedded),
        .target(
            name: "PerchCapture",
            dependencies: ["CJPEG", "CV4L2", "SystemPackage"],
            path: "Sources/PerchCaptureEmbedded",
            swiftSettings: embedded
        ),

        // MARK: - Programs run under qemu-user and in the arm64 VM
        .target(name: "CPerchLibc"),
        .target(name: "CPerchCapture", linkerSettings: [.linkedLibrary("v4l2")]),
        .executableTarget(
            name: "perch-selftest",
            dependencies: ["PerchConformance", "PerchInference", "PerchTFLite", "CPerchLibc"],
            swiftSettings: embedded
        ),
        .executableTarget(
            name: "perch-vm-capture",
            dependencies: [
                "PerchCapture", "PerchConformance", "PerchInference", "PerchTFLite", "CPerchLibc", "CPerchCapture",
            ],
            swiftSettings: embedded
        ),
    ]
)
