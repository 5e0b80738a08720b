export const id = 976;
export const ids = [976];
export const modules = {

/***/ 52976:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   artifactShardStore: () => (/* binding */ artifactShardStore),
/* harmony export */   folderShardStore: () => (/* binding */ folderShardStore)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/**
 * Where the shards of one workflow run meet: their "ready" markers and shard files. On GitHub it
 * is the run's artifacts (`@actions/artifact`, which lists every job's artifacts of the current
 * run with the runner's own token); locally, a folder shared by the shard processes. A re-run of
 * the workflow is a new attempt of the same run: its store still lists every earlier attempt's items.
 */


/** The current workflow run's artifacts, of every attempt (artifact names are unique across attempts). */
function artifactShardStore(attempt) {
    const client = async () => new (await Promise.all(/* import() */[__webpack_require__.e(271), __webpack_require__.e(913), __webpack_require__.e(683)]).then(__webpack_require__.bind(__webpack_require__, 60683))).DefaultArtifactClient();
    return {
        attempt,
        async upload(name, file) {
            const absolute = node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(file);
            const uploaded = await (await client()).uploadArtifact(name, [absolute], node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(absolute), { retentionDays: 1 });
            if (uploaded.id === undefined)
                throw new Error(`artifact ${name}: the results service returned no artifact id`);
        },
        async list() {
            const { artifacts } = await (await client()).listArtifacts();
            return artifacts.map((a) => ({ id: a.id, name: a.name, createdAt: a.createdAt }));
        },
        async download(item, dir) {
            await (await client()).downloadArtifact(item.id, { path: dir });
        },
    };
}
/** A local folder: one sub-folder per stored name (the local CLI, several shard processes on one machine). */
function folderShardStore(root, attempt = 1) {
    return {
        attempt,
        async upload(name, file) {
            const dir = node_path__WEBPACK_IMPORTED_MODULE_1__.join(root, name);
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)(dir, { recursive: true });
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.copyFileSync)(file, node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, node_path__WEBPACK_IMPORTED_MODULE_1__.basename(file)));
        },
        async list() {
            let names = [];
            try {
                names = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(root);
            }
            catch {
                return [];
            }
            return names.map((name, id) => ({ id, name, createdAt: (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(node_path__WEBPACK_IMPORTED_MODULE_1__.join(root, name)).mtime }));
        },
        async download(item, dir) {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)(dir, { recursive: true });
            for (const file of (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(node_path__WEBPACK_IMPORTED_MODULE_1__.join(root, item.name)))
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.copyFileSync)(node_path__WEBPACK_IMPORTED_MODULE_1__.join(root, item.name, file), node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, file));
        },
    };
}


/***/ })

};
