//! Rust peer of the Mesh HTTP benchmark: `GET /text` and `GET /json` with the headers a Mesh
//! server sends (stdlib spec §18.5: `Content-Type: application/json; charset=utf-8` and
//! `Content-Length`), listening on the port given as the first argument.

use axum::{http::header, response::IntoResponse, routing::get, Router};

const CONTENT_TYPE: &str = "application/json; charset=utf-8";

async fn text() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], "Hello, World!")
}

async fn json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, CONTENT_TYPE)],
        r#"{"message":"Hello, World!"}"#,
    )
}

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("usage: http-bench PORT");
    let app = Router::new()
        .route("/text", get(text))
        .route("/json", get(json));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind");
    eprintln!("listening on 127.0.0.1:{port}");
    axum::serve(listener, app).await.expect("serve");
}
