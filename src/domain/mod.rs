//! The domain's vocabulary, shared by every stage: what an outcome means ([`outcome`]), where a number is
//! ([`country`]), how a number is hidden ([`mask`]), time ([`time`]), money ([`money`]), and what marks
//! smslens's own output ([`own_output`]).

pub mod aws;
pub mod country;
pub mod mask;
pub mod money;
pub mod outcome;
pub mod own_output;
pub mod time;
