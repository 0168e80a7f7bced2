namespace CallLog.Storage;

/// <summary>How a store's SQL matches a phone number or prefix against its calls_by_phone index.</summary>
internal enum PhoneMatch
{
    /// <summary><c>LIKE</c> with a prefix's pattern, which PostgreSQL plans with its value (text_pattern_ops); <c>=</c> for a number.</summary>
    Like,

    /// <summary>
    /// A range on the index's NOCASE collation: <c>= number</c>, or <c>&gt;= prefix AND &lt; the prefix with
    /// its last character the next one</c>. SQLite compiles a LIKE with a bound pattern again at every
    /// run, as it reads the pattern while planning; a range it plans once.
    /// </summary>
    Range,
}
