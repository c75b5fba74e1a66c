import Foundation
import Testing
@testable import Networks

/// The real EfficientNet-Lite0 weights (legacy `.pth`, every weight strided in TensorFlow order)
/// against the per-tensor checksums PyTorch computed (`efficientnet_lite0_weights_check.json`).
@Suite struct LegacyPthTests {
    private struct Check: Decodable {
        var dtype: String
        var shape: [Int]
        var sum: Double
        var abs_sum: Double
        var first4_logical: [Double]
    }

    private struct CheckFile: Decodable {
        var tensors: [String: Check]
    }

    private func loadWeights() throws -> StateDict {
        let url = try #require(CheckpointFixtures.efficientNetWeights(),
                               "efficientnet-lite0-57934424.pth not found: run scripts/setup.sh (it installs the weights and links Models/)")
        return try loadStateDict(contentsOf: url)
    }

    @Test func everyTensorMatchesPyTorchChecksums() throws {
        let weights = try loadWeights()
        let json = try Data(contentsOf: CheckpointFixtures.reference("efficientnet_lite0_weights_check.json"))
        let checks = try JSONDecoder().decode(CheckFile.self, from: json).tensors
        #expect(weights.count == checks.count, "\(weights.count) tensors, reference has \(checks.count)")
        for (name, check) in checks {
            guard let tensor = weights[name] else {
                Issue.record("missing \(name)")
                continue
            }
            #expect(tensor.shape == check.shape, "\(name): shape \(tensor.shape) vs \(check.shape)")
            #expect(tensor.dtype == (check.dtype == "int64" ? .int64 : .float32), "\(name): dtype \(tensor.dtype) vs \(check.dtype)")
            let values = tensor.doubles
            let sum = values.reduce(0, +), absSum = values.reduce(0) { $0 + abs($1) }
            #expect(abs(sum - check.sum) <= 1e-6 * max(check.abs_sum, 1e-12), "\(name): sum \(sum) vs \(check.sum)")
            #expect(abs(absSum - check.abs_sum) <= 1e-6 * max(check.abs_sum, 1e-12), "\(name): abs sum \(absSum) vs \(check.abs_sum)")
            #expect(Array(values.prefix(4)) == check.first4_logical, "\(name): first values \(values.prefix(4)) vs \(check.first4_logical)")
        }
    }

    @Test func keysKeepPyTorchModuleOrder() throws {
        let names = try loadWeights().names
        #expect(names.first == "_conv_stem.weight", "first key \(names.first ?? "none")")
        #expect(names.suffix(2) == ["_fc.weight", "_fc.bias"], "last keys \(names.suffix(2))")
    }
}
