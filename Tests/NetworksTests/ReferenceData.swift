import Foundation
import Testing
import Tensors
@testable import Networks

/// The PyTorch reference tensors of ../shared/reference (copied into Tests/Fixtures/reference).
enum ReferenceData {
    static let images = ["cover_224", "noise_224", "rings_224", "portrait_300x450"]

    static let inputs = try! ReferenceFile("inputs.safetensors")

    static func input(_ image: String) throws -> Tensor {
        try inputs.tensor("\(image).input")
    }

    /// The four reference inputs as one batch `[4, 3, 224, 224]`.
    static func batch() throws -> Tensor {
        Tensor.concatenate(batch: try images.map { try input($0) })
    }

    /// /work/shared/reference (or `COVERLENS_REFERENCE`), for the large files not copied into the repository.
    static var sharedReference: URL? {
        let path = ProcessInfo.processInfo.environment["COVERLENS_REFERENCE"]
            ?? CheckpointFixtures.repositoryRoot.deletingLastPathComponent()
                .appendingPathComponent("shared/reference").path
        return FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
    }

    /// `resnet18_seed0.safetensors`: torchvision's ResNet18 initialised with `torch.manual_seed(0)`,
    /// which only PyTorch can recreate, and 46 MB, too large for the repository. Nil when absent.
    static var seededResNet18Weights: URL? {
        guard let url = sharedReference?.appendingPathComponent("resnet18_seed0.safetensors"),
              FileManager.default.fileExists(atPath: url.path) else { return nil }
        return url
    }

    /// Why the tests on the seeded weights are skipped when they are.
    static let seededResNet18Missing: Comment =
        "needs resnet18_seed0.safetensors (46 MB, not in the repository) from ../shared/reference or the folder COVERLENS_REFERENCE names"
}
