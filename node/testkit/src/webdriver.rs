//! Driving a browser the standard way: WebDriver, JSON over HTTP.
//!
//! chromedriver (Debian's `chromium-driver`) starts Chromium and answers the
//! W3C WebDriver protocol on a port: `POST /session` opens a browser, and
//! every command after that is one request under `/session/{id}/`. The
//! browser test needs only a handful of them, so they are written out here
//! with the HTTP client the tests already use, instead of a WebDriver crate
//! with a dependency tree of its own.
//!
//! | command            | request                                         |
//! |--------------------|-------------------------------------------------|
//! | open a session     | `POST /session` with the capabilities           |
//! | open a page        | `POST /session/{id}/url`                        |
//! | find an element    | `POST /session/{id}/element` (a CSS selector)   |
//! | read its text      | `GET .../element/{element}/text`                |
//! | click it           | `POST .../element/{element}/click`              |
//! | type into it       | `POST .../element/{element}/value`              |
//! | run a script       | `POST /session/{id}/execute/sync` (or `/async`) |
//! | take a screenshot  | `GET /session/{id}/screenshot` (base64 PNG)     |
//! | size the window    | `POST /session/{id}/window/rect`                |
//! | ask Chromium itself| `POST /session/{id}/goog/cdp/execute` (a DevTools command; chromedriver only) |
//! | close the browser  | `DELETE /session/{id}`                          |
//!
//! Every answer is `{"value": ...}`; a failed command answers 4xx or 5xx
//! with `{"value": {"error": ..., "message": ...}}`, which becomes the
//! `Err` sentence.

use serde_json::{json, Value};

/// The key under which WebDriver names an element in its answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A browser session opened through a WebDriver server.
pub struct Browser {
    http: reqwest::Client,
    /// `http://127.0.0.1:<port>/session/<id>`: every command goes under it.
    session: String,
}

/// An element of the page, as the browser names it.
pub struct Element<'a> {
    browser: &'a Browser,
    id: String,
}

impl Browser {
    /// Open a browser through the WebDriver server at `driver` (such as
    /// `http://127.0.0.1:9515`) with these capabilities (for Chromium:
    /// `{"goog:chromeOptions": {"binary": ..., "args": [...]}}`).
    pub async fn open(driver: &str, capabilities: Value) -> Result<Browser, String> {
        let http = reqwest::Client::new();
        let body = json!({ "capabilities": { "alwaysMatch": capabilities } });
        let answer = call(http.post(format!("{driver}/session")).json(&body)).await?;
        let id = answer["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {answer}"))?;
        Ok(Browser {
            session: format!("{driver}/session/{id}"),
            http,
        })
    }

    /// Load `url` and wait until the page has loaded.
    pub async fn goto(&self, url: &str) -> Result<(), String> {
        self.post("/url", json!({ "url": url })).await.map(drop)
    }

    /// The first element that matches a CSS selector.
    pub async fn find(&self, css: &str) -> Result<Element<'_>, String> {
        let answer = self
            .post("/element", json!({ "using": "css selector", "value": css }))
            .await?;
        self.element(css, &answer)
    }

    /// Run `script` (a function body; `return` gives the result) in the page.
    pub async fn execute(&self, script: &str) -> Result<Value, String> {
        self.post("/execute/sync", json!({ "script": script, "args": [] }))
            .await
    }

    /// Run an asynchronous script: it ends by calling its last argument
    /// with the result.
    pub async fn execute_async(&self, script: &str) -> Result<Value, String> {
        self.execute_async_with(script, &[]).await
    }

    /// [`Browser::execute_async`] with `args` (the script's `arguments`,
    /// before the callback).
    pub async fn execute_async_with(&self, script: &str, args: &[Value]) -> Result<Value, String> {
        self.post("/execute/async", json!({ "script": script, "args": args }))
            .await
    }

    /// What the window shows, as PNG bytes.
    pub async fn screenshot(&self) -> Result<Vec<u8>, String> {
        let answer = self.get("/screenshot").await?;
        let text = answer
            .as_str()
            .ok_or_else(|| format!("the screenshot is not text: {answer}"))?;
        base64_decode(text)
    }

    /// Make the page's viewport `width` x `height` CSS pixels (the window's
    /// own bars come on top, so the window is grown by their size).
    pub async fn set_viewport(&self, width: u32, height: u32) -> Result<(), String> {
        let inner = self
            .execute("return [window.innerWidth, window.innerHeight, window.outerWidth, window.outerHeight];")
            .await?;
        let size = |i: usize| inner[i].as_u64().unwrap_or(0) as u32;
        let (extra_w, extra_h) = (
            size(2).saturating_sub(size(0)),
            size(3).saturating_sub(size(1)),
        );
        let rect = json!({ "width": width + extra_w, "height": height + extra_h });
        self.post("/window/rect", rect).await.map(drop)
    }

    /// Run a Chrome DevTools Protocol command (chromedriver's extension),
    /// such as `Performance.getMetrics`; its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        self.post("/goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
            .await
    }

    /// Close the browser and end the session.
    pub async fn close(self) -> Result<(), String> {
        call(self.http.delete(&self.session)).await.map(drop)
    }

    fn element(&self, what: &str, answer: &Value) -> Result<Element<'_>, String> {
        let id = answer[ELEMENT]
            .as_str()
            .ok_or_else(|| format!("no element for {what:?} in {answer}"))?;
        Ok(Element {
            browser: self,
            id: id.to_owned(),
        })
    }

    async fn get(&self, path: &str) -> Result<Value, String> {
        let url = format!("{}{path}", self.session);
        call(self.http.get(url)).await
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        let url = format!("{}{path}", self.session);
        call(self.http.post(url).json(&body)).await
    }
}

impl Element<'_> {
    /// The text the element shows, as a user reads it.
    pub async fn text(&self) -> Result<String, String> {
        let answer = self.browser.get(&self.path("/text")).await?;
        answer
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("the text is not a string: {answer}"))
    }

    /// Click it, as a user would.
    pub async fn click(&self) -> Result<(), String> {
        self.browser
            .post(&self.path("/click"), json!({}))
            .await
            .map(drop)
    }

    /// Type `text` into it, key by key.
    pub async fn send_keys(&self, text: &str) -> Result<(), String> {
        self.browser
            .post(&self.path("/value"), json!({ "text": text }))
            .await
            .map(drop)
    }

    /// In a `<select>`: pick the option whose value is `value` by clicking it.
    pub async fn select_by_value(&self, value: &str) -> Result<(), String> {
        let css = format!("option[value=\"{value}\"]");
        let answer = self
            .browser
            .post(
                &self.path("/element"),
                json!({ "using": "css selector", "value": css }),
            )
            .await?;
        self.browser.element(&css, &answer)?.click().await
    }

    fn path(&self, command: &str) -> String {
        format!("/element/{}{command}", self.id)
    }
}

/// Send one command; its `value`, or the server's error as a sentence.
async fn call(request: reqwest::RequestBuilder) -> Result<Value, String> {
    let response = request
        .send()
        .await
        .map_err(|e| format!("WebDriver request failed: {e}"))?;
    let status = response.status();
    let answer: Value = response
        .json()
        .await
        .map_err(|e| format!("WebDriver answered {status} without JSON: {e}"))?;
    let value = answer["value"].clone();
    if status.is_success() {
        Ok(value)
    } else {
        Err(format!(
            "WebDriver answered {status}: {} ({})",
            value["error"].as_str().unwrap_or("unknown error"),
            value["message"].as_str().unwrap_or("no message")
        ))
    }
}

/// Standard base64 (with `=` padding) to bytes: how WebDriver sends a PNG.
fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    fn sextet(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut bytes = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut bits = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let six = sextet(*c).ok_or_else(|| format!("{:?} is not base64", *c as char))?;
            bits |= six << (18 - 6 * i);
        }
        // Four digits carry three bytes; a short last chunk carries fewer.
        let carried = chunk.len() * 6 / 8;
        bytes.extend_from_slice(&bits.to_be_bytes()[1..1 + carried]);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::base64_decode;

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(base64_decode("TWFu").unwrap(), b"Man");
        assert_eq!(base64_decode("TWE=").unwrap(), b"Ma");
        assert_eq!(base64_decode("TQ==").unwrap(), b"M");
        assert_eq!(
            base64_decode("iVBORw0K\nGgo=").unwrap(),
            b"\x89PNG\r\n\x1a\n"
        );
        assert!(base64_decode("TW!u").is_err());
    }
}
