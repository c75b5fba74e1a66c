// swift-tools-version: 6.1
// CoverLens: learns what popular book covers have in common and compares new designs with them.
// Targets as docs/ARCHITECTURE.md describes them: C libraries as system-library targets, then Support
// (files, randomness, parallelism), Tensors and Imaging, then the `coverlens` executable that only
// parses arguments and calls the libraries.
import PackageDescription

/// Release-mode numerics without bounds-check overhead in the kernels is the kernels' job
/// (they use unsafe buffers locally); everything else keeps Swift's checks.
let optimisedSettings: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

/// The numeric kernels' SIMD code (depthwise convolution, fused epilogues) needs AVX2 + FMA to run at
/// full width; Swift compiles for baseline x86-64 (SSE2) otherwise. Haswell (2013) is the oldest CPU
/// with both, so any current x86-64 machine runs the result.
let haswellSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux]))]
let kernelSettings: [SwiftSetting] = optimisedSettings + haswellSettings

let package = Package(
    name: "CoverLens",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "coverlens", targets: ["coverlens"]),
        // For Fuzz/, the libFuzzer package that depends on this one by path (see scripts/fuzz.sh).
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "Networks", targets: ["Networks"]),
    ],
    // Exact versions: CoverLens is an application, and Package.resolved cannot pin them here (the
    // package mirror's commit ids are not upstream's, so it stays out of git).
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // C libraries from Debian, found through pkg-config.
        // oneDNN, the GEMM of the AVX-512 kernel path (Tensors' KernelPath); no pkg-config file, so the
        // module map links dnnl (and libgomp, its OpenMP runtime) itself.
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CPango", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebpdemux", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(name: "CLCMS2", pkgConfig: "lcms2", providers: [.apt(["liblcms2-dev"])]),
        .systemLibrary(name: "CHEIF", pkgConfig: "libheif", providers: [.apt(["libheif-dev"])]),

        // Files written atomically, seeded randomness and the parallel loop: what every layer above
        // needs and none of it tensor maths, so Rendering and Reports can write a file without Tensors.
        // The x86 pause instruction for WorkerTeam's spin-waits (a builtin Swift cannot reach).
        .target(name: "CSpinWait"),
        .target(name: "Support", dependencies: ["CSpinWait"]),
        // Depthwise convolution with eight channels to an AVX2 vector (intrinsics, which Swift lacks).
        .target(name: "CDepthwise"),
        // OpenBLAS (Debian's libopenblas0, from libopenblas-dev) opened with dlopen when a run asks
        // for it, not linked: linked, its thread pool starts and spins in every process.
        .target(name: "COpenBLAS"),
        .target(name: "Tensors", dependencies: ["Support", "COpenBLAS", "CDNNL", "CDepthwise"], swiftSettings: kernelSettings),
        // setjmp/longjmp error recovery for libjpeg (decode and encode) and libpng, which Swift cannot
        // do itself, and libtiff read from memory with its error handlers bound to each decode.
        .target(name: "CImageDecode", dependencies: ["CTIFF"],
                linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png16"), .linkedLibrary("tiff")]),
        // Haswell for the resampling passes' integer SIMD (PIL-exact, so the same bytes on any CPU),
        // but with Swift's checks kept: Imaging reads untrusted files.
        // PIL's horizontal resampling pass, eight rows to an AVX2 vector (intrinsics, which Swift lacks).
        .target(name: "CResample"),
        // The palette's nearest-centre search, four Lab colours to an AVX2 vector of doubles.
        .target(name: "CColour"),
        .target(name: "Imaging", dependencies: ["Support", "Tensors", "CJPEG", "CPNG", "CWebP", "CImageDecode", "CResample", "CColour",
                                                "CLCMS2", "CHEIF"],
                swiftSettings: haswellSettings),
        // Synthetic book covers (Cairo + Pango), so examples and tests never need publishers' artwork.
        .target(name: "CoverSynth", dependencies: ["Imaging", "Support", "Rendering"]),
        .target(name: "Networks", dependencies: ["Support", "Tensors"], swiftSettings: optimisedSettings),
        .target(
            name: "CoverAnalysis",
            dependencies: ["Networks", "Imaging", "Support", "Tensors", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: optimisedSettings),
        // The shared store: per-cover results in PostgreSQL with pgvector, behind the same `CoverStore`
        // protocol as the SQLite cache, with named collections, shards and indexed nearest-neighbour search.
        .target(
            name: "Store",
            dependencies: ["CoverAnalysis", "Imaging", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: optimisedSettings),
        .target(name: "Rendering", dependencies: ["CCairo", "CPango", "Imaging", "Support"]),
        .target(
            name: "Reports",
            dependencies: [
                "Rendering", "CoverAnalysis", "Imaging", "Support",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),

        // The jobs under the commands (score and report, train, evaluate, the demo) as library types
        // that a command configures and calls, and tests call directly; exit statuses and defaults.
        .target(name: "Runs", dependencies: ["CoverAnalysis", "Reports", "Networks", "Imaging", "Store", "Support", "Tensors"]),

        .executableTarget(
            name: "coverlens",
            dependencies: [
                "CoverAnalysis", "CoverSynth", "Reports", "Runs", "Networks", "Imaging", "Store", "Support", "Tensors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // The FMA ceiling probe that coverlens-bench prints beside achieved GFLOP/s (target attributes per width).
        .target(name: "CPeakFLOPS"),
        .executableTarget(name: "coverlens-bench", dependencies: ["CoverAnalysis", "CPeakFLOPS", "Imaging", "Networks", "Support", "Tensors"],
                          swiftSettings: optimisedSettings),

        // The shared store at catalogue scale (Benchmarks/store.sh): inserts, HNSW build, query latency, recall.
        .executableTarget(name: "coverlens-store-bench", dependencies: ["Store", "CoverAnalysis", "Imaging", "Support"],
                          swiftSettings: optimisedSettings),

        .testTarget(name: "SupportTests", dependencies: ["Support"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "Support"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "Support", "Tensors"]),
        .testTarget(name: "NetworksTests", dependencies: ["Networks", "Support", "Tensors"]),
        .testTarget(name: "CoverAnalysisTests", dependencies: ["CoverAnalysis", "Networks", "Imaging", "Support", "Tensors"]),
        // Against a throwaway PostgreSQL 16 + pgvector that the tests start (scripts/setup.sh installs it).
        .testTarget(name: "StoreTests", dependencies: ["Store", "CoverAnalysis", "Imaging", "Support"]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "Imaging"]),
        .testTarget(name: "CoverSynthTests", dependencies: ["CoverSynth", "Rendering", "Imaging", "Support"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Rendering", "CoverAnalysis", "Imaging", "Support", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // A publisher's own files (TIFF, PDF, HEIC, colour profiles) made from one generated cover.
        .testTarget(
            name: "PublisherFormatsTests",
            dependencies: ["Imaging", "Rendering", "CoverSynth", "CoverAnalysis", "Networks", "Support", "Tensors", "CLCMS2"]),
        .testTarget(name: "RunsTests", dependencies: ["Runs", "CoverAnalysis", "Reports", "Imaging"]),
        // Runs the built `coverlens` binary as a user would (bad-input corpus, error messages, SIGKILL);
        // of CoverLens it imports only Support (the seeded generator), and `swift test` builds the
        // binary with everything else.
        .testTarget(name: "CoverLensCLITests", dependencies: ["Support"]),
    ],
    swiftLanguageModes: [.v5]
)
