package io.haddns.controller.ui;

import static org.awaitility.Awaitility.await;

import io.haddns.controller.testing.HeadlessChromium;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The dashboard as a browser test drives it: views, sign-in, and what the page shows. */
final class DashboardPage {
  private final HeadlessChromium browser;
  private final ChromeDriver driver;

  DashboardPage(HeadlessChromium browser) {
    this.browser = browser;
    this.driver = browser.driver();
  }

  /** Opens the node's dashboard at {@code base} ({@code http://host:port}), e.g. {@code lines}. */
  DashboardPage open(String base, String view) {
    driver.get(base + "/ui/#" + view);
    return this;
  }

  /** Signs in with {@code token} once the page asks for it. */
  DashboardPage signIn(String token) {
    await().atMost(Duration.ofSeconds(10)).until(this::signInShown);
    WebElement input = driver.findElement(By.id("signin-token"));
    input.clear();
    input.sendKeys(token);
    driver.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
    await().atMost(Duration.ofSeconds(10)).until(() -> !signInShown());
    return this;
  }

  boolean signInShown() {
    return Boolean.TRUE.equals(script("return document.getElementById('signin').open;"));
  }

  /** Switches the view as a keyboard user would: focus the tab's link, press Enter. */
  void show(String view) {
    WebElement link = driver.findElement(By.cssSelector("nav.tabs a[data-view='" + view + "']"));
    link.sendKeys(Keys.ENTER);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "page".equals(link.getAttribute("aria-current")));
  }

  /** The text of every element marked {@code data-test=name}, in page order. */
  List<String> texts(String name) {
    @SuppressWarnings("unchecked")
    List<String> out =
        (List<String>)
            script(
                "return [...document.querySelectorAll('[data-test=\"' + arguments[0] + '\"]')]"
                    + ".map(e => e.textContent);",
                name);
    return out;
  }

  String text(String name) {
    return String.join(" ", texts(name));
  }

  /** Each line's row in the lines view: name to health and reason, as shown. */
  Map<String, List<String>> lines() {
    @SuppressWarnings("unchecked")
    Map<String, List<String>> out =
        (Map<String, List<String>>)
            script(
                "const m = {}; for (const tr of document.querySelectorAll("
                    + "'[data-test=lines] tbody tr')) { const n = tr.querySelector("
                    + "'[data-test=line-name]'); if (n) m[n.textContent] = ["
                    + "tr.querySelector('[data-test=line-health]').textContent,"
                    + " tr.querySelector('[data-test=line-reason]').textContent]; } return m;");
    return out;
  }

  String banner() {
    return (String)
        script(
            "const b = document.getElementById('banner'); return b.hidden ? '' : b.textContent;");
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Runs {@code js} that calls {@code arguments[arguments.length - 1]} with its result. */
  Object asyncScript(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
  }

  ChromeDriver driver() {
    return driver;
  }

  HeadlessChromium browser() {
    return browser;
  }
}
