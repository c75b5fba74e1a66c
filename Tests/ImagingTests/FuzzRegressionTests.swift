import Foundation
import Imaging
import Testing

/// Crash inputs libFuzzer finds (scripts/fuzz.sh image; Tests/Fixtures/fuzz/image/README.md lists
/// them) replayed through the fuzz target's exact call: each must decode to a consistent image or
/// fail with a `DecodeError` naming the input. The first 10-minute run found none, so this replays
/// nothing yet; it is here so that a file dropped into the folder is checked from then on.
@Suite struct ImageFuzzRegressionTests {
    static let folder = Fixtures.root.appendingPathComponent("fuzz/image")

    static var inputs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted()
    }

    @Test(arguments: inputs)
    func decodesOrFailsCleanly(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        // The same call and limit as Fuzz/Sources/FuzzImageDecoder/main.swift.
        do throws(DecodeError) {
            let decoded = try ImageDecoder.decode(bytes: bytes, name: "fuzz", limits: DecodeLimits(maxMegapixels: 2))
            #expect(decoded.image.pixels.count == decoded.width * decoded.height * 3, "\(name): pixel count disagrees with the size")
        } catch {
            #expect(error.description.hasPrefix("fuzz: "), "\(name): the error should name the input: \(error)")
        }
    }
}
