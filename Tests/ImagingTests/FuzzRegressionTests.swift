import Foundation
import Imaging
import Testing

/// Crash inputs libFuzzer finds (scripts/fuzz.sh image; Tests/Fixtures/fuzz/image/README.md lists
/// them) replayed through the fuzz target's exact call: each must decode to a consistent image or
/// fail with a `DecodeError` naming the input. The fuzzer has found none so far, so the replay is
/// a visible skip until a file is dropped into the folder; the README and the folder must agree.
@Suite struct ImageFuzzRegressionTests {
    static let folder = Fixtures.root.appendingPathComponent("fuzz/image")

    static var inputs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted()
    }

    /// "None so far" in the README exactly when the folder holds no input, and every input listed.
    @Test func readmeListsExactlyTheInputsPresent() throws {
        let readme = try String(contentsOf: Self.folder.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("None so far") == Self.inputs.isEmpty, "README.md and the folder disagree: \(Self.inputs)")
        for input in Self.inputs { #expect(readme.contains(input), "README.md does not list \(input)") }
    }

    @Test(.enabled(if: !inputs.isEmpty, "the image fuzzer has found no crash input yet (Tests/Fixtures/fuzz/image holds only its README)"),
          arguments: inputs)
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
