import ArgumentParser
import Foundation
import Imaging
import Networks

struct ImportWeights: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-weights",
        abstract: "Convert PyTorch weights (.pth or .safetensors) into a CoverLens model file.",
        discussion: """
            Reads zip and legacy torch.save files without Python (tensors only, nothing in the file is executed), \
            checks every tensor against the architecture, and writes a .safetensors model whose metadata records \
            the architecture, preprocessing and head. CustomCNN checkpoints (base_model.* + a one-logit fc) are accepted.
            """)

    @Argument(help: "The PyTorch checkpoint (.pth, zip or legacy format, or .safetensors).")
    var file: String

    @Option(help: "Architecture: \(ModelArchitecture.allCases.map(\.rawValue).joined(separator: " or ")).",
            transform: { try parseChoice($0, as: ModelArchitecture.self, option: "--arch") })
    var arch: ModelArchitecture

    @Option(help: "Where to write the model (.safetensors).")
    var out: String

    @Option(help: "Geometry the weights were trained with: stretch, crop or letterbox (default: stretch).",
            transform: { try parseChoice($0, as: Geometry.self, option: "--geometry") })
    var geometry: Geometry = .stretch

    @Option(help: "Normalisation the weights were trained with: efficientnet ((x-127)/128, the default) or imagenet.",
            transform: { try parseChoice($0, as: Normalization.self, option: "--normalization") })
    var normalization: Normalization = .efficientNet

    @Option(help: "Input side in pixels.")
    var size: Int = 224

    func validate() throws {
        guard (1...4096).contains(size) else { throw ValidationError("--size must be in 1...4096, got \(size)") }
    }

    func run() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let preprocessing = Preprocessing(geometry: geometry, size: size, normalization: normalization)
        let json = String(decoding: try encoder.encode(preprocessing), as: UTF8.self)
        do {
            let model = try WeightImport.model(from: URL(fileURLWithPath: file), architecture: arch, preprocessing: json)
            try model.write(to: URL(fileURLWithPath: out))
            print("\(out): \(model.tensors.count) tensors, \(arch.rawValue), head \(model.metadata["head"] ?? "none"), preprocessing \(json)")
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}

/// A raw-value option parsed with the accepted values in the error message.
private func parseChoice<T: RawRepresentable & CaseIterable>(_ text: String, as: T.Type, option: String) throws -> T where T.RawValue == String {
    guard let value = T(rawValue: text) else {
        throw ValidationError("\(option) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
    }
    return value
}
