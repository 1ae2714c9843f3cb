//! The domain's vocabulary, shared by every stage: what an outcome means ([`outcome`]), where a number is
//! ([`country`]), how a number is hidden ([`mask`]), time ([`time`]) and money ([`money`]).

pub mod country;
pub mod mask;
pub mod money;
pub mod outcome;
pub mod time;
