using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace K8sHost.E2E.Tests.Browser;

/// <summary>
/// Debian's chromium driven through its chromium-driver (both from scripts/install-tools.sh): headless, no sandbox
/// (CI runs as root), accepting the server's self-generated certificate, with bounded waits everywhere.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private HeadlessChromium(ChromeDriver driver) => Driver = driver;

    public ChromeDriver Driver { get; }

    public static HeadlessChromium Start()
    {
        var browser = OnPath("chromium");
        var driverPath = OnPath("chromedriver");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = browser, AcceptInsecureCertificates = true };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1400,1000", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            // Less background work on a busy CI machine: no updates, sync, translation or other network chatter.
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--disable-features=Translate,OptimizationHints,MediaRouter", "--blink-settings=imagesEnabled=false");
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(30));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(20);
        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(10);
        return new HeadlessChromium(driver);
    }

    /// <summary>Waits until the element is displayed; the failure names what was awaited and shows the page text.</summary>
    public IWebElement Visible(string css, string? containing = null)
    {
        var wait = new WebDriverWait(Driver, Wait) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(d => d.FindElements(By.CssSelector(css))
                .FirstOrDefault(e => e.Displayed && (containing is null || e.Text.Contains(containing, StringComparison.Ordinal))))!;
        }
        catch (WebDriverTimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"no visible '{css}'{(containing is null ? "" : $" containing '{containing}'")} within {Wait.TotalSeconds} s; page text:\n{PageText()}");
        }
    }

    public void Click(string css, string? containing = null)
    {
        var element = Visible(css, containing);
        Driver.ExecuteScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.Click();
    }

    public string PageText()
    {
        try { return Driver.FindElement(By.TagName("body")).Text; }
        catch (WebDriverException e) { return "(unreadable: " + e.Message + ")"; }
    }

    private static string OnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException($"{name} is not installed: run scripts/install-tools.sh (apt-get install chromium chromium-driver)");
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
