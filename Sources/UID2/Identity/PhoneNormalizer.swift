/// Checks phone numbers the way the UID2 operator does (spec §3.2).
///
/// The operator never normalizes phones: a phone is valid only when it is already E.164, that is a
/// `+` followed by 10 to 15 ASCII digits and nothing else (no spaces, dashes or parentheses).
public enum PhoneNormalizer {
    /// The fewest digits the operator accepts (`MIN_PHONENUMBER_DIGITS`).
    public static let minimumDigits = 10
    /// The most digits E.164 allows.
    public static let maximumDigits = 15

    /// Whether `phone` is an operator-valid E.164 number.
    public static func isNormalized(_ phone: UnsafeBufferPointer<UInt8>) -> Bool {
        let digits = phone.count - 1
        guard digits >= minimumDigits, digits <= maximumDigits, phone[0] == UInt8(ascii: "+") else {
            return false
        }
        for index in 1..<phone.count where (phone[index] &- UInt8(ascii: "0")) > 9 {
            return false
        }
        return true
    }

    /// `String` form of ``isNormalized(_:)-(UnsafeBufferPointer<UInt8>)``.
    public static func isNormalized(_ phone: String) -> Bool {
        var utf8 = Array(phone.utf8)
        return utf8.withUnsafeMutableBufferPointer { isNormalized(UnsafeBufferPointer($0)) }
    }
}
