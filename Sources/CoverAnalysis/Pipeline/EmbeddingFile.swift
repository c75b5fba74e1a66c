import Foundation
import Networks
import Support
import Tensors

/// The output of `coverlens embed`: embeddings with the files they belong to, as safetensors
/// (tensor `embeddings` [N, D]; metadata `files`, `model`, `architecture`, `preprocessing`) or CSV.
public struct EmbeddingFile {
    public var files: [String]
    public var embeddings: [[Float]]
    public var model: CoverModel

    public init(files: [String], embeddings: [[Float]], model: CoverModel) {
        self.files = files
        self.embeddings = embeddings
        self.model = model
    }

    /// Writes by extension (.safetensors or .csv), atomically.
    public func write(to url: URL) throws {
        let d = model.backbone.embeddingDimension
        if url.pathExtension.lowercased() == "csv" {
            var text = "path," + (0..<d).map { "e\($0)" }.joined(separator: ",") + "\n"
            for (file, row) in zip(files, embeddings) {
                text += AnalysisResult.csvField(file) + "," + row.map { "\($0)" }.joined(separator: ",") + "\n"
            }
            try AtomicFile.write(Data(text.utf8), to: url)
            return
        }
        let tensor = Tensor(shape: [files.count, d], storage: embeddings.flatMap { $0 })
        let filesJSON = String(decoding: try JSONEncoder().encode(files), as: UTF8.self)
        let file = SafeTensors(tensors: StateDict([("embeddings", StoredTensor(tensor))], source: url.path),
                               metadata: ["files": filesJSON, "model": model.name, "architecture": model.architecture,
                                          "model_fingerprint": model.embeddingFingerprint,
                                          "preprocessing": model.preprocessing.fingerprintText])
        try file.write(to: url)
    }
}
