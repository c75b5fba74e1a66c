import ArgumentParser
import CoverAnalysis
import Foundation
import Imaging
import Networks
import Runs

struct ImportWeights: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-weights",
        abstract: "Convert PyTorch weights (.pth or .safetensors) into a CoverLens model file.",
        discussion: """
            Reads zip and legacy torch.save files without Python (tensors only, nothing in the file is executed), \
            checks every tensor against the architecture, and writes a .safetensors model whose metadata records \
            the architecture, preprocessing, head and what a one-logit head predicts. Takes torchvision and \
            EfficientNet-PyTorch state dicts as they are or behind DataParallel's module., and the PyTorch \
            recipe's CustomCNN (everything under base_model., base_model.fc the one-logit head).

            The recipe's logit predicts the class whose folder name sorts second (ImageFolder numbers its \
            class folders in sorted order): give its two folder names (--popular-folder, --other-folder) or \
            say it outright (--logit-means); score and evaluate then turn the logit round when it predicts \
            the other covers.

            Example (the recipe trained on data/bestseller and data/other, torch.save(model.state_dict(), "model.pth")):
              coverlens import-weights model.pth --arch resnet18 \\
                  --popular-folder bestseller --other-folder other \\
                  --out Models/recipe.safetensors

            The pretrained EfficientNet-Lite0 weights, as scripts/setup.sh converts them:
              coverlens import-weights Models/efficientnet-lite0-57934424.pth \\
                  --arch efficientnet-lite0 --out Models/efficientnet-lite0.safetensors

            \(ExitStatus.help)
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

    @Option(help: ArgumentHelp("Normalisation the weights were trained with: efficientnet ((x-127)/128) or imagenet.",
                               discussion: "Default: imagenet for resnet18 (torchvision's and the recipe's), efficientnet for efficientnet-lite0."),
            transform: { try parseChoice($0, as: Normalization.self, option: "--normalization") })
    var normalization: Normalization?

    @Option(help: "Input side in pixels.")
    var size: Int = 224

    @Option(help: ArgumentHelp("Which covers a one-logit head's sigmoid predicts: popular or other.", valueName: "popular|other"),
            transform: { try parseChoice($0, as: LogitMeaning.self, option: "--logit-means") })
    var logitMeans: LogitMeaning?

    @Option(help: ArgumentHelp("The recipe's class folder of popular covers (with --other-folder).", valueName: "NAME"))
    var popularFolder: String?

    @Option(help: ArgumentHelp("The recipe's class folder of other covers (with --popular-folder).", valueName: "NAME"))
    var otherFolder: String?

    func validate() throws {
        guard (1...4096).contains(size) else { throw ValidationError("--size must be in 1...4096, got \(size)") }
        switch (popularFolder, otherFolder) {
        case (nil, nil): break
        case let (popular?, other?):
            guard logitMeans == nil else { throw ValidationError("give --logit-means or the two folder names, not both") }
            guard LogitMeaning(popularFolder: popular, otherFolder: other) != nil else {
                throw ValidationError("--popular-folder and --other-folder must differ, both are '\(popular)'")
            }
        default: throw ValidationError("--popular-folder and --other-folder go together")
        }
    }

    /// What the logit means, and whether the user said so.
    var meaning: (LogitMeaning, given: Bool) {
        if let logitMeans { return (logitMeans, true) }
        if let popularFolder, let otherFolder, let meaning = LogitMeaning(popularFolder: popularFolder, otherFolder: otherFolder) {
            return (meaning, true)
        }
        return (.popular, false)
    }

    func run() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let preprocessing = Preprocessing(geometry: geometry, size: size, normalization: normalization ?? arch.trainingNormalization)
        let json = String(decoding: try encoder.encode(preprocessing), as: UTF8.self)
        let (logit, given) = meaning
        do {
            let model = try WeightImport.model(from: URL(fileURLWithPath: file), architecture: arch, preprocessing: json, logitMeans: logit)
            try model.write(to: URL(fileURLWithPath: out))
            let head = model.metadata["head"] ?? "none"
            print("\(out): \(model.tensors.count) tensors, \(arch.rawValue), head \(head), preprocessing \(json)")
            if head == ModelHead.popularity.rawValue {
                print(!given ? Self.assumption : logit == .popular ? "the logit predicts popular covers"
                        : "the logit predicts other covers; score and evaluate turn it round to report p(popular)")
            } else if given {
                print("note: \(file) has no one-logit head, so --logit-means and the folder names do not apply")
            }
        } catch {
            throw ExitStatus.fail(error)
        }
    }

    /// The line printed when nobody said what the logit predicts.
    static let assumption = "assuming the logit predicts popular covers; the recipe's predicts the class folder that sorts second, "
        + "so if yours were popular/ and unpopular/ (or bestseller/ and other/), import again with --logit-means other "
        + "(or --popular-folder NAME --other-folder NAME)"
}

/// A raw-value option parsed with the accepted values in the error message.
private func parseChoice<T: RawRepresentable & CaseIterable>(_ text: String, as: T.Type, option: String) throws -> T where T.RawValue == String {
    guard let value = T(rawValue: text) else {
        throw ValidationError("\(option) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
    }
    return value
}
