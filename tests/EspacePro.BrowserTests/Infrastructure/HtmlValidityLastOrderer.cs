using Xunit.Sdk;
using Xunit.v3;

namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>
/// Runs the test collections in a stable order, with <see cref="HtmlValidityLastOrderer.LastCollection"/>
/// at the end: it validates the HTML that all the others saved.
/// </summary>
public sealed class HtmlValidityLastOrderer : ITestCollectionOrderer
{
    public const string LastCollection = "zz HTML validity of every page visited";

    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : notnull, ITestCollection =>
        testCollections
            .OrderBy(c => c.TestCollectionDisplayName == LastCollection)
            .ThenBy(c => c.TestCollectionDisplayName, StringComparer.Ordinal)
            .ToList();
}
