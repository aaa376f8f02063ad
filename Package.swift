// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "uid2-batch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "uid2-batch", targets: ["uid2-batch"]),
        .executable(name: "uid2-operator-sim", targets: ["uid2-operator-sim"]),
        // The protocol library (normalization, hashing, the v2 envelope, environments) is the one
        // meant to be used from outside; the engine and the simulator serve the executables.
        .library(name: "UID2", targets: ["UID2"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        // Comes with async-http-client; named here for the TLS settings of the client (trust
        // roots) and the simulator's HTTPS.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
    ],
    targets: [
        .target(
            name: "UID2",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                // AES-CBC, for reading legacy v2 sharing tokens.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The system's zlib (its headers come with the Swift toolchain's dependencies), and the
        // zstd types; libzstd is loaded at run time.
        .systemLibrary(name: "CCompression", path: "Sources/CCompression"),
        .target(
            name: "UID2Batch",
            dependencies: [
                "UID2", "CCompression",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "UID2Simulator",
            dependencies: [
                "UID2",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "uid2-batch",
            dependencies: [
                "UID2", "UID2Batch", "UID2Simulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "uid2-operator-sim",
            dependencies: [
                "UID2", "UID2Simulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Micro-benchmarks of client hot paths (scripts/bench-map-decode.sh); not installed.
        .executableTarget(name: "uid2-batch-bench", dependencies: ["UID2", "UID2Batch"]),
        // Helpers shared by the test targets: temporary directories, synthetic exports, a CSV
        // reader and a strict Prometheus text reader for assertions.
        // A test CA with its server certificates (scripts/make-test-certificates.sh) and a small
        // CONNECT proxy that counts its tunnels.
        .target(
            name: "UID2TestSupport",
            dependencies: [
                "UID2",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/UID2TestSupport",
            exclude: ["Certificates"]
        ),
        .testTarget(
            name: "UID2Tests",
            dependencies: ["UID2", .product(name: "_CryptoExtras", package: "swift-crypto")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "UID2BatchTests",
            dependencies: ["UID2Batch", "UID2Simulator", "UID2TestSupport", .product(name: "NIOSSL", package: "swift-nio-ssl")]
        ),
        .testTarget(
            name: "UID2SimulatorTests",
            dependencies: [
                "UID2Simulator", "UID2TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "UID2", "UID2Batch", "UID2Simulator", "UID2TestSupport", "uid2-batch", "uid2-operator-sim",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
    ]
)
