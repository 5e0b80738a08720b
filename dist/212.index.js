export const id = 212;
export const ids = [212];
export const modules = {

/***/ 83212:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   pullRequestChanges: () => (/* binding */ pullRequestChanges)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9452);

async function pullRequestChanges(octokit, options) {
    const { owner, repo, number } = options;
    const hint = 'the token needs `permissions: pull-requests: read`';
    let title;
    let body;
    try {
        const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
        title = data.title;
        body = data.body ?? '';
    }
    catch (error) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toGitHubError */ .Lg)(error, `Reading pull request ${owner}/${repo}#${number}`, hint);
    }
    try {
        const files = [];
        for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: 100 })) {
            for (const f of page.data) {
                files.push({
                    filename: f.filename,
                    status: f.status,
                    additions: f.additions,
                    deletions: f.deletions,
                    ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
                    ...(options.patches && f.patch !== undefined ? { patch: f.patch } : {}),
                });
            }
        }
        return { title, body, files };
    }
    catch (error) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toGitHubError */ .Lg)(error, `Listing the files of pull request ${owner}/${repo}#${number}`, hint);
    }
}


/***/ })

};
