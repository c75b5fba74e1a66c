import Foundation
import Networks
import Testing

/// Inputs libFuzzer found (scripts/fuzz.sh pth|safetensors; each folder's README.md says what
/// each one did) replayed through the fuzz targets' exact calls: each must load or fail with a
/// `CheckpointError`, and loaded tensors must hold as many values as their shapes say.
@Suite struct CheckpointFuzzRegressionTests {
    static let root = CheckpointFixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/fuzz")

    /// What each crash input must now produce (README.md beside the inputs says what it did
    /// before the fix); inputs not listed must load or fail with any `CheckpointError`.
    /// Asserting the error matters: without ASan, the old out-of-bounds read and leak passed silently.
    static let expectedErrors = [
        "pth/storage-key-redeclared-larger.pth": "declares storage 1 as 512 FloatStorage elements, an earlier tensor as 4",
        "pth/container-holds-itself-leak.pth": "a dict cannot contain itself",
    ]

    static func inputs(_ target: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(target).path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted().map { "\(target)/\($0)" }
    }

    /// Every input with an expected error is present (a lost fixture would silently drop its check).
    @Test func expectedInputsArePresent() {
        let present = Set(Self.inputs("pth") + Self.inputs("safetensors"))
        for input in Self.expectedErrors.keys.sorted() {
            #expect(present.contains(input), "fuzz regression input \(input) is missing from \(Self.root.path)")
        }
    }

    /// Fuzz/Sources/FuzzPth/main.swift's call: the format is chosen from the first bytes.
    @Test(arguments: inputs("pth"))
    func pthLoadsOrFailsCleanly(_ input: String) throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent(input))
        do {
            let dict = try loadStateDict(bytes: data, path: "fuzz.pth")
            #expect(Self.expectedErrors[input] == nil, "\(input) should fail with \(Self.expectedErrors[input] ?? "")")
            expectConsistent(dict, input: input)
        } catch let error as CheckpointError {
            expectNamed(error, file: "fuzz.pth", input: input)
        }
    }

    /// "None so far" in a folder's README exactly when it holds no input, and every input listed.
    @Test(arguments: ["pth", "safetensors"])
    func readmeListsExactlyTheInputsPresent(_ target: String) throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("\(target)/README.md"), encoding: .utf8)
        let inputs = Self.inputs(target).map { String($0.dropFirst(target.count + 1)) }
        #expect(readme.contains("None so far") == inputs.isEmpty, "\(target)/README.md and the folder disagree: \(inputs)")
        for input in inputs { #expect(readme.contains(input), "\(target)/README.md does not list \(input)") }
    }

    /// Fuzz/Sources/FuzzSafeTensors/main.swift's call, including the re-serialisation. The fuzzer
    /// has found no safetensors crash input so far: a visible skip until one is added.
    @Test(.enabled(if: !inputs("safetensors").isEmpty,
                   "the safetensors fuzzer has found no crash input yet (Tests/Fixtures/fuzz/safetensors holds only its README)"),
          arguments: inputs("safetensors"))
    func safetensorsLoadsOrFailsCleanly(_ input: String) throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent(input))
        do {
            let file = try SafeTensors(bytes: data, path: "fuzz.safetensors")
            #expect(Self.expectedErrors[input] == nil, "\(input) should fail with \(Self.expectedErrors[input] ?? "")")
            expectConsistent(file.tensors, input: input)
            _ = try file.serialized()
        } catch let error as CheckpointError {
            expectNamed(error, file: "fuzz.safetensors", input: input)
        }
    }

    private func expectNamed(_ error: CheckpointError, file: String, input: String) {
        #expect("\(error)".hasPrefix(file), "\(input): the error should name the file: \(error)")
        if let expected = Self.expectedErrors[input] {
            #expect("\(error)".contains(expected), "\(input): expected '\(expected)', got \(error)")
        }
    }

    private func expectConsistent(_ dict: StateDict, input: String) {
        for (name, stored) in dict.entries {
            #expect(stored.floatTensor.storage.count == stored.shape.reduce(1, *), "\(input): \(name) size disagrees with its shape")
        }
    }
}
