// swift-tools-version: 6.1
import PackageDescription

/// One strictness list for every target (see docs/architecture.md).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Target-CPU flags of a kernel level module: applied on x86-64 only (elsewhere the module
/// builds for the host, and the dispatcher never picks it).
func levelFlags(_ cpu: String) -> [SwiftSetting] {
    #if arch(x86_64)
    return [.unsafeFlags(["-target-cpu", cpu])]
    #else
    return []
    #endif
}

/// The kernel modules are optimized in debug builds too: the tests run real models.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-wmo", "-num-threads", "2"], .when(configuration: .debug))]

let package = Package(
    name: "fslm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fslm", targets: ["fslm"]),
        .library(name: "FSLMWorkflow", targets: ["FSLMWorkflow"]),
        .library(name: "FSLMInference", targets: ["FSLMInference"]),
        .library(name: "FSLMTransformer", targets: ["FSLMTransformer"]),
        .library(name: "FSLMPlugins", targets: ["FSLMPlugins"]),
        .library(name: "FSLMEngine", targets: ["FSLMEngine"]),
        .library(name: "FSLMOpenAI", targets: ["FSLMOpenAI"]),
        .library(name: "FSLMServer", targets: ["FSLMServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(
            name: "FSLMWorkflow",
            dependencies: [
                "CYAML",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FSLMInference",
            swiftSettings: strict
        ),
        .target(
            name: "FSLMKernelInterface",
            swiftSettings: strict
        ),
        // One module per instruction-set level, all built from Sources/FSLMKernels/Loops (the
        // level modules link to it): see docs/architecture.md, "Kernels per instruction set".
        .target(
            name: "FSLMKernels",
            dependencies: ["FSLMKernelInterface"],
            swiftSettings: strict + optimized
        ),
        .target(
            name: "FSLMKernelsAVX2",
            dependencies: ["FSLMKernelInterface"],
            swiftSettings: strict + optimized + levelFlags("haswell")
        ),
        .target(
            name: "FSLMKernelsAVX512",
            dependencies: ["FSLMKernelInterface"],
            swiftSettings: strict + optimized + levelFlags("skylake-avx512")
        ),
        .target(
            name: "FSLMTransformer",
            dependencies: ["FSLMInference", "FSLMKernelInterface", "FSLMKernels", "FSLMKernelsAVX2", "FSLMKernelsAVX512"],
            // Optimized in debug builds too: the tests and the bundled stack run real models,
            // which unoptimized kernels make a hundred times slower.
            swiftSettings: strict + optimized
        ),
        .target(
            name: "FSLMPlugins",
            dependencies: ["FSLMWorkflow"],
            swiftSettings: strict
        ),
        .target(
            name: "FSLMOpenAI",
            dependencies: [
                "FSLMInference",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FSLMEngine",
            dependencies: ["FSLMWorkflow", "FSLMInference", "FSLMTransformer", "FSLMPlugins", "FSLMOpenAI"],
            swiftSettings: strict
        ),
        .target(
            name: "FSLMServer",
            dependencies: [
                "FSLMWorkflow",
                "FSLMInference",
                "FSLMPlugins",
                "FSLMEngine",
                "FSLMOpenAI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "fslm",
            dependencies: [
                "FSLMWorkflow",
                "FSLMInference",
                "FSLMTransformer",
                "FSLMPlugins",
                "FSLMEngine",
                "FSLMServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FSLMTestSupport",
            dependencies: ["FSLMWorkflow", "FSLMInference", "FSLMPlugins", "FSLMEngine"],
            path: "Tests/FSLMTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "FSLMWorkflowTests",
            // FSLMEngine for the fuzz test, which draws and dry-runs every workflow that loads.
            dependencies: ["FSLMWorkflow", "FSLMEngine", "FSLMTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FSLMInferenceTests",
            dependencies: ["FSLMInference", "FSLMTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FSLMTransformerTests",
            dependencies: ["FSLMTransformer", "FSLMKernelInterface", "FSLMTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FSLMPluginsTests",
            dependencies: ["FSLMPlugins", "FSLMTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FSLMEngineTests",
            dependencies: ["FSLMEngine", "FSLMTransformer", "FSLMTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FSLMOpenAITests",
            dependencies: [
                "FSLMOpenAI",
                "FSLMInference",
                "FSLMTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FSLMServerTests",
            dependencies: [
                "FSLMServer",
                "FSLMInference",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FSLMCLITests",
            dependencies: [
                "fslm",
                "FSLMTestSupport",
                "FSLMOpenAI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ]
)
