// swift-tools-version: 6.1
// libFuzzer targets over CoverLens's untrusted-input readers. A separate package (it depends on the
// main one by path) so that the main package's `swift build` / `swift test` never see an executable
// without `main`: these only link with `-sanitize=fuzzer`. Build and run them with scripts/fuzz.sh.
import PackageDescription

let package = Package(
    name: "CoverLensFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "CoverLens", path: "..")],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver, which each target's main.swift hands control to.
        .target(name: "CFuzzDriver"),
        // JPEG, PNG, WebP, TIFF and HEIC/AVIF through ImageDecoder (sniffing, libjpeg/libpng/libwebp/libtiff/libheif,
        // EXIF, orientation, ICC profiles through Little CMS); PDFs are skipped (Poppler runs out of process;
        // FuzzPDFOutput covers what CoverLens does with its output).
        .executableTarget(name: "FuzzImageDecoder", dependencies: ["CFuzzDriver", .product(name: "Imaging", package: "CoverLens")]),
        // PDF: what pdfinfo and pdftoppm print, read in process (the tools run as child processes).
        .executableTarget(name: "FuzzPDFOutput", dependencies: ["CFuzzDriver", .product(name: "Imaging", package: "CoverLens")]),
        // PyTorch `.pth`: zip container and legacy pickle files, through loadStateDict.
        .executableTarget(name: "FuzzPth", dependencies: ["CFuzzDriver", .product(name: "Networks", package: "CoverLens")]),
        // safetensors header and data, through SafeTensors(bytes:path:).
        .executableTarget(name: "FuzzSafeTensors", dependencies: ["CFuzzDriver", .product(name: "Networks", package: "CoverLens")]),
    ],
    swiftLanguageModes: [.v5]
)
