/// Element types `RawBytes` copies: plain fixed-size values with no references.
protocol FixedWidthOrFloat: BitwiseCopyable {}
extension Float: FixedWidthOrFloat {}
extension Double: FixedWidthOrFloat {}
extension UInt8: FixedWidthOrFloat {}
extension Int8: FixedWidthOrFloat {}
extension UInt16: FixedWidthOrFloat {}
extension UInt32: FixedWidthOrFloat {}
extension Int32: FixedWidthOrFloat {}
extension UInt64: FixedWidthOrFloat {}
extension Int64: FixedWidthOrFloat {}
