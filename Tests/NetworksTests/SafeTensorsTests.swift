import Foundation
import Testing
@testable import Networks
import Tensors

@Suite struct SafeTensorsReadingTests {
    /// README: "u = ((i+1)·2654435761 + k·40503) mod 2^32, s = 2u/2^32 − 1", conv1.weight is k = 0
    /// with fan_in 3·7·7, bn1.weight k = 1 (1 + s/4), bn1.bias k = 2 (s/10).
    private func formula(k: UInt32, i: UInt32) -> Double {
        let u = (i &+ 1) &* 2_654_435_761 &+ k &* 40503
        return 2 * (Double(u) / 4_294_967_296) - 1
    }

    @Test func formulaReferenceMatchesTheREADMEFormula() throws {
        let file = try SafeTensors(contentsOf: CheckpointFixtures.reference("resnet18_formula_outputs.safetensors"))
        let conv = try file.tensor("first4.conv1.weight").storage
        let expectedConv = (0..<4).map { Float((6.0 / 147).squareRoot() * formula(k: 0, i: UInt32($0))) }
        #expect(conv == expectedConv, "first4.conv1.weight \(conv) vs formula \(expectedConv)")
        let bnWeight = try file.tensor("first4.bn1.weight").storage
        #expect(bnWeight == (0..<4).map { Float(1 + 0.25 * formula(k: 1, i: UInt32($0))) }, "first4.bn1.weight")
        let bnBias = try file.tensor("first4.bn1.bias").storage
        #expect(bnBias == (0..<4).map { Float(0.1 * formula(k: 2, i: UInt32($0))) }, "first4.bn1.bias")
        for image in ["cover_224", "noise_224", "rings_224", "portrait_300x450"] {
            #expect(file["\(image).logits"]?.shape == [1, 1000], "\(image).logits shape")
            #expect(file["\(image).embedding"]?.shape == [1, 512], "\(image).embedding shape")
        }
    }

    @Test func trainingReferenceKeepsFloat64AndMetadata() throws {
        let file = try SafeTensors(contentsOf: CheckpointFixtures.reference("train_step.safetensors"))
        #expect(file.metadata["labels"] == "1,0,1,0", "metadata labels: \(file.metadata)")
        let norms = try #require(file["effnet_head.grad_norms"], "effnet_head.grad_norms missing")
        #expect(norms.dtype == .float64 && norms.shape == [2], "grad_norms \(norms.dtype) \(norms.shape)")
        #expect(norms.doubles.allSatisfy { $0.isFinite && $0 > 0 }, "grad norms \(norms.doubles)")
        // README table: effnet_head loss before = 0.685923.
        let loss = try file.tensor("effnet_head.loss_before").storage
        #expect(loss.count == 1 && abs(Double(loss[0]) - 0.685923) < 1e-6, "effnet_head.loss_before \(loss)")
        #expect(try file.tensor("batch_labels").storage == [1, 0, 1, 0], "batch_labels")
    }

    @Test func efficientNetOutputsHaveEveryTap() throws {
        let file = try SafeTensors(contentsOf: CheckpointFixtures.reference("efficientnet_lite0_outputs.safetensors"))
        #expect(file["cover_224.tap.stem"]?.shape == [1, 32, 112, 112], "tap.stem shape")
        #expect(file["cover_224.tap.head"]?.shape == [1, 1280, 7, 7], "tap.head shape")
        for block in 0..<16 {
            #expect(file[String(format: "cover_224.tap.block%02d", block)] != nil, "tap.block\(block) missing")
        }
    }

    @Test func tensorsComeInDataOrder() throws {
        let url = CheckpointFixtures.reference("train_step.safetensors")
        let file = try SafeTensors(contentsOf: url)
        let header = try SafeTensorsHeader(file: try Data(contentsOf: url), path: url.path)
        #expect(file.tensors.names == header.entries.map(\.name), "names not in data order")
        #expect(zip(header.entries, header.entries.dropFirst()).allSatisfy { $0.span.upperBound == $1.span.lowerBound })
    }
}

@Suite struct SafeTensorsWritingTests {
    private func sample() -> SafeTensors {
        var dict = StateDict()
        dict["conv.weight"] = StoredTensor(Tensor(shape: [2, 1, 2, 2], storage: [1, -2, 3.5, 4, 0, .pi, -0, 1e-30]))
        dict["stats"] = StoredTensor(shape: [3], values: .float64([1e-300, -2.5, 1e300]))
        dict["pixels"] = StoredTensor(shape: [1, 3], values: .uint8([0, 127, 255]))
        dict["bn.num_batches_tracked"] = StoredTensor(shape: [], values: .int64([Int64.min]))
        dict["empty"] = StoredTensor(shape: [0, 4], values: .float32([]))
        dict["name with \"quotes\" and ü"] = StoredTensor(shape: [1], values: .float32([7]))
        return SafeTensors(tensors: dict, metadata: ["format": "coverlens-model", "json": "{\"a\": [1, 2]}\n\ttab"])
    }

    @Test func roundTripKeepsValuesOrderAndMetadata() throws {
        let folder = try CheckpointFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        let original = sample()
        try original.write(to: url)
        let back = try SafeTensors(contentsOf: url)
        #expect(back.metadata == original.metadata, "metadata \(back.metadata)")
        #expect(back.tensors.names == original.tensors.names, "order \(back.tensors.names)")
        for (name, tensor) in original.tensors.entries {
            #expect(back[name] == tensor, "tensor \(name)")
        }
    }

    @Test func headerIsPaddedSoDataIsAligned() throws {
        let bytes = try sample().serialized().reduce(Data(), +)
        let length = try #require(RawBytes.integer(UInt64.self, from: bytes, offset: 0))
        #expect(length % 8 == 0, "header length \(length)")
        let header = String(decoding: bytes[8 ..< 8 + Int(length)], as: UTF8.self)
        #expect(header.hasPrefix("{\"__metadata__\":"), "metadata first: \(header.prefix(40))")
        let json = try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any]
        #expect(json?.count == 7, "header keys \(json?.keys.sorted() ?? [])")
    }

    @Test func writingReplacesTheFileAndLeavesNoTemporaryFiles() throws {
        let folder = try CheckpointFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try Data("old".utf8).write(to: url)
        try sample().write(to: url)
        #expect(try SafeTensors(contentsOf: url).tensors.count == 6)
        let listing = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(listing == ["model.safetensors"], "folder holds \(listing)")
    }

    @Test func writingIntoAMissingFolderFailsWithTheName() throws {
        let url = URL(fileURLWithPath: "/nonexistent-coverlens-folder/model.safetensors")
        #expect(throws: CheckpointError.self) { try sample().write(to: url) }
    }

    @Test func reservedNameIsRefused() throws {
        var dict = StateDict()
        dict["__metadata__"] = StoredTensor(shape: [1], values: .float32([1]))
        #expect(throws: CheckpointError.invalidInput(path: "x", detail: "'__metadata__' cannot be a tensor name")) {
            try SafeTensors(tensors: dict).serialized(path: "x")
        }
    }
}

@Suite struct SafeTensorsInputsTests {
    @Test func inputsKeepUInt8PixelsAndFloatTensors() throws {
        let file = try SafeTensors(contentsOf: CheckpointFixtures.reference("inputs.safetensors"))
        let pixels = try #require(file["portrait_300x450.pixels_u8"], "pixels_u8 missing")
        #expect(pixels.dtype == .uint8 && pixels.shape == [224, 224, 3], "pixels \(pixels.dtype) \(pixels.shape)")
        let input = try file.tensor("cover_224.input")
        #expect(input.shape == [1, 3, 224, 224], "input shape \(input.shape)")
        // README: x = (pixel − 127) / 128 lies in [−0.9922, 1.0] and is exact in float32.
        #expect(input.storage.allSatisfy { (-127.0 / 128 ... 1).contains($0) && ($0 * 128).rounded() == $0 * 128 },
                "input values outside (p − 127)/128")
    }
}
