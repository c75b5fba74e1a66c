import Foundation
import Imaging
import Testing

/// The decoder fixtures in Tests/Fixtures/images/ (made by scripts/make-fixtures.sh).
enum DecoderFixtures {
    static func image(_ name: String) -> URL {
        Fixtures.root.appendingPathComponent("images").appendingPathComponent(name)
    }

    /// The entries of images/expected.json, written by scripts/make-fixtures.sh from PIL's decodes.
    static let expected: [ExpectedDecode] = {
        guard let data = try? Data(contentsOf: image("expected.json")),
              let table = try? JSONDecoder().decode([String: ExpectedDecode.Entry].self, from: data)
        else { return [] }
        return table.map { ExpectedDecode(name: $0.key, entry: $0.value) }.sorted { $0.name < $1.name }
    }()

    /// The upright test pattern's quadrant colours (top-left, top-right, bottom-left, bottom-right).
    static let quadrants: [(UInt8, UInt8, UInt8)] = [(220, 30, 40), (40, 180, 60), (30, 60, 200), (240, 220, 40)]

    /// Decodes a fixture, turning a failure into a message for `#expect`.
    static func decode(_ name: String, limits: DecodeLimits = .default) -> Result<DecodedImage, DecodeError> {
        Result { () throws(DecodeError) in try ImageDecoder.decode(contentsOf: image(name), limits: limits) }
    }
}

/// One fixture and the facts PIL (or the generator) established about it.
struct ExpectedDecode: CustomTestStringConvertible, Sendable {
    struct Entry: Decodable, Sendable {
        var width: Int
        var height: Int
        var tolerance: Int
        var pixels: String
        var format: String?
        var colourModel: String?
        var bitDepth: Int?
        var variant: String?
        var orientation: Int?
        var storedWidth: Int?
        var storedHeight: Int?
        var animated: Bool?
        var frameCount: Int?
    }

    var name: String
    var entry: Entry
    var testDescription: String { name }

    /// The expected RGB bytes, decoded from hex.
    var pixels: [UInt8] {
        var out: [UInt8] = []
        var digits = entry.pixels.makeIterator()
        while let high = digits.next(), let low = digits.next() {
            out.append(UInt8(String([high, low]), radix: 16) ?? 0)
        }
        return out
    }
}


extension DecoderFixtures {
    /// Where each quadrant centre of `image` differs by more than `tolerance` from the upright
    /// pattern's painted colour ([] when the image is the upright pattern).
    static func quadrantMismatches(_ image: RGBImage, tolerance: Int = 8) -> [String] {
        guard image.width == 16, image.height == 12 else { return ["size \(image.width)×\(image.height), not 16×12"] }
        var mismatches: [String] = []
        for (index, colour) in quadrants.enumerated() {
            let x = index % 2 == 0 ? 3 : 12
            let y = index < 2 ? 2 : 9
            let got = image[x, y]
            let painted = [Int(colour.0), Int(colour.1), Int(colour.2)]
            let ours = [Int(got.r), Int(got.g), Int(got.b)]
            let diff = zip(ours, painted).map { abs($0 - $1) }.max() ?? 0
            if diff > tolerance { mismatches.append("quadrant \(index) at (\(x), \(y)) is \(ours), painted \(painted)") }
        }
        return mismatches
    }
}
