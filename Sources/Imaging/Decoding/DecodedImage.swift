/// A decoded file: upright 8-bit RGB pixels and what the decoder learned about the file.
public struct DecodedImage: Equatable, Sendable {
    public var image: RGBImage
    public var info: ImageInfo

    public init(image: RGBImage, info: ImageInfo) {
        self.image = image
        self.info = info
    }

    /// Size of `image` (after orientation, so possibly the stored size swapped).
    public var width: Int { image.width }
    public var height: Int { image.height }
}
