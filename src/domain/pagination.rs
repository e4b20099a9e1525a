use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::InvalidField;

pub const DEFAULT_PAGE_LIMIT: u32 = 20;
/// Larger requested limits are lowered to this.
pub const MAX_PAGE_LIMIT: u32 = 100;

/// `?page=&limit=` as sent by the client, shared by every list route.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1 (default 1).
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page (default 20; values above 100 are lowered to 100).
    #[param(minimum = 1)]
    pub limit: Option<u32>,
}

/// A checked page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page: u32,
    limit: u32,
}

impl PageParams {
    pub fn parse(&self) -> Result<PageRequest, InvalidField> {
        let page = self.page.unwrap_or(1);
        if page == 0 {
            return Err(InvalidField::new("page", "must be 1 or more"));
        }
        let limit = self.limit.unwrap_or(DEFAULT_PAGE_LIMIT);
        if limit == 0 {
            return Err(InvalidField::new("limit", "must be 1 or more"));
        }
        Ok(PageRequest {
            page,
            limit: limit.min(MAX_PAGE_LIMIT),
        })
    }
}

impl PageRequest {
    pub fn page(&self) -> u32 {
        self.page
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Rows to skip; computed in 64 bits so a huge page number cannot overflow.
    pub fn offset(&self) -> i64 {
        (i64::from(self.page) - 1) * i64::from(self.limit)
    }
}

/// The `pagination` object of every list response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Pagination {
    pub page: u32,
    pub limit: u32,
    pub total: u64,
    pub pages: u64,
    pub has_next: bool,
    pub has_prev: bool,
}

impl Pagination {
    pub fn new(request: PageRequest, total: u64) -> Pagination {
        let limit = u64::from(request.limit);
        let pages = total.div_ceil(limit);
        let page = u64::from(request.page);
        Pagination {
            page: request.page,
            limit: request.limit,
            total,
            pages,
            has_next: page < pages,
            has_prev: page > 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(page: Option<u32>, limit: Option<u32>) -> Result<PageRequest, InvalidField> {
        PageParams { page, limit }.parse()
    }

    #[test]
    fn defaults_and_cap() {
        let r = request(None, None).unwrap();
        assert_eq!((r.page(), r.limit(), r.offset()), (1, 20, 0));
        let r = request(Some(3), Some(1000)).unwrap();
        assert_eq!((r.page(), r.limit(), r.offset()), (3, 100, 200));
    }

    #[test]
    fn zero_is_refused() {
        assert_eq!(request(Some(0), None).unwrap_err().field, "page");
        assert_eq!(request(None, Some(0)).unwrap_err().field, "limit");
    }

    #[test]
    fn huge_pages_do_not_overflow() {
        let r = request(Some(u32::MAX), Some(100)).unwrap();
        assert_eq!(r.offset(), (i64::from(u32::MAX) - 1) * 100);
    }

    #[test]
    fn pagination_edges() {
        let cases = [
            // (page, limit, total) -> (pages, has_next, has_prev)
            ((1, 20, 0), (0, false, false)),
            ((1, 20, 20), (1, false, false)),
            ((1, 20, 21), (2, true, false)),
            ((2, 20, 21), (2, false, true)),
            ((3, 20, 45), (3, false, true)),
            ((9, 20, 45), (3, false, true)),
        ];
        for ((page, limit, total), (pages, has_next, has_prev)) in cases {
            let p = Pagination::new(request(Some(page), Some(limit)).unwrap(), total);
            assert_eq!(
                (p.pages, p.has_next, p.has_prev),
                (pages, has_next, has_prev),
                "page {page} limit {limit} total {total}"
            );
        }
    }
}
