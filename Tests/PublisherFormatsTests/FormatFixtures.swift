import CoverSynth
import Foundation
import Imaging
import Rendering
import Support

/// The one generated cover every format test starts from, and the tools that turn it into a
/// publisher's files (`tiffcp` from libtiff-tools, `heif-enc` from libheif-examples; both
/// installed by scripts/setup.sh).
enum FormatFixtures {
    /// A 200×300 synthetic thriller cover (CoverSynth, seed 21).
    static let cover: RGBImage = {
        let generator = try! CoverGenerator(width: 200, height: 300)
        return try! generator.render(seed: 21, style: .thriller, coverClass: .popular).image
    }()

    /// The same cover at print resolution: 683×1024 pixels fill the 6×9 inch trim of ``TestPDF``
    /// at the size ``PDFDecoder`` renders it, as a print export's images do.
    static let printCover: RGBImage = {
        let generator = try! CoverGenerator(width: 683, height: 1024)
        return try! generator.render(seed: 21, style: .thriller, coverClass: .popular).image
    }()

    static func tool(_ name: String) -> String? {
        ["/usr/bin", "/usr/local/bin"].map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile(atPath:))
    }

    /// A fresh folder, removed by the caller.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `tool` with `arguments`; throws with its error output when it fails.
    static func run(_ tool: String, _ arguments: [String]) throws {
        guard let executable = Self.tool(tool) else { throw ToolFailure(message: "\(tool) is not installed (scripts/setup.sh)") }
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-tool-\(UUID().uuidString).err")
        defer { try? FileManager.default.removeItem(at: errors) }
        let ended = try ChildProcess(executable: executable, arguments: arguments, standardError: .file(errors.path)).wait()
        let message = (try? Data(contentsOf: errors)) ?? Data()
        guard ended == .success else {
            throw ToolFailure(message: "\(tool) \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
        }
    }

    struct ToolFailure: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// The cover as an 8-bit RGB TIFF sample array.
    static func rgbSamples(_ image: RGBImage) -> [UInt16] { image.pixels.map(UInt16.init) }

    /// Largest difference of any sample between two equally sized images.
    static func maxDifference(_ a: RGBImage, _ b: RGBImage) -> Int {
        guard a.width == b.width, a.height == b.height else { return Int.max }
        return zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
        return dot / (na.squareRoot() * nb.squareRoot())
    }
}

/// The cover as a PNG file (Cairo, drawn 1:1), for tools that read files.
enum PNGTestWriter {
    static func write(_ image: RGBImage, to url: URL) throws {
        let canvas = try Canvas(size: Size(width: Double(image.width), height: Double(image.height)))
        canvas.drawImage(image, stretchedTo: Rect(x: 0, y: 0, width: Double(image.width), height: Double(image.height)), smooth: false)
        try canvas.writePNG(to: url)
    }
}
