//! OTP-style building blocks on top of actors: supervisors (`supervisor.rs`), services'
//! call/reply (`service.rs`) and jobs (`job.rs`).

pub mod job;
pub mod service;
pub mod supervisor;
