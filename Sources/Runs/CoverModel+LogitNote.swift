import CoverAnalysis

extension CoverModel {
    /// One line for a model whose logit is read as p(popular) without the file saying so (a `.pth`
    /// or a file converted before import-weights recorded it); nil when the file says.
    func unrecordedLogitNote(path: String) -> String? {
        guard logitMeaningUnrecorded else { return nil }
        return "note: \(path) does not say which class its logit predicts, so it is taken as p(popular); if it comes from "
            + "the PyTorch recipe, convert it with coverlens import-weights --popular-folder NAME --other-folder NAME"
    }
}
