using EspacePro.BrowserTests.Infrastructure;
using Xunit.Sdk;
using Xunit.v3;

// One Chromium for the run. Tests run one at a time: each starts its own app process and a
// 2-core machine gains little from running browsers side by side, while the HTML validity
// check must come after every page has been saved.
[assembly: AssemblyFixture(typeof(BrowserFixture))]
[assembly: Parallelization(Mode = ParallelMode.None)]
[assembly: TestCollectionOrderer(typeof(HtmlValidityLastOrderer))]
