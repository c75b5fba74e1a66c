/// The warning for covers a report names but could not show: without it a report re-rendered after
/// the covers moved is a page of grey panels and nobody is told why.
public enum MissingCoversWarning {
    /// One line naming how many and the first few ("role/file"), and what to do; nil when none is missing.
    public static func line(_ missing: [String]) -> String? {
        guard !missing.isEmpty else { return nil }
        let shown = missing.prefix(3).joined(separator: ", ") + (missing.count > 3 ? ", …" : "")
        return "warning: \(missing.count) \(missing.count == 1 ? "cover" : "covers") in the report could not be found (\(shown)), "
            + "so \(missing.count == 1 ? "its tile is" : "their tiles are") blank: moved or deleted since the scoring run? "
            + "Re-render from where they are now with --popular DIR --candidates DIR (and --other DIR)"
    }
}
