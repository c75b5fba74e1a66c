import Foundation
import Imaging
import Testing

/// Inputs libFuzzer found (scripts/fuzz.sh image; Tests/Fixtures/fuzz/image/README.md says what
/// each one did) replayed through the fuzz target's exact call: each must decode to a consistent
/// image or fail with a `DecodeError` naming the input; a regression crashes this test.
@Suite struct ImageFuzzRegressionTests {
    static let folder = Fixtures.root.appendingPathComponent("fuzz/image")

    static var inputs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted()
    }

    @Test func fixturesArePresent() {
        #expect(!Self.inputs.isEmpty, "no fuzz regression inputs in \(Self.folder.path)")
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
